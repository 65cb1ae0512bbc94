import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { ProjectionRunner } from '../../src/common/projections/projection-runner.js';
import {
  STREAM_SUMMARIES,
  streamSummaryProjection,
} from '../../src/common/projections/stream-summary.projection.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';

const CHILD = join(process.cwd(), '.build/test/crash/append-loop.child.js');
const SLOW_FLUSH_CHILD = join(process.cwd(), '.build/test/crash/slow-flush-appends.child.js');

/** Runs the writer until it has reported `killAfter` commits, then SIGKILLs it; returns what it reported. */
function runAndKill(path: string, start: number, killAfter: number): Promise<number[]> {
  return runUntilKilled([CHILD, path, String(start)], (_line, committed) => committed >= killAfter);
}

/**
 * Runs the slow-flush writer until it has reported `after` commits, then SIGKILLs it as the next
 * WAL flush starts (that group's commits are in the page cache, unanswered); returns what it reported.
 */
function runAndKillMidFlush(path: string, after: number): Promise<number[]> {
  return runUntilKilled(
    [SLOW_FLUSH_CHILD, path],
    (line, committed) => line === 'flushing' && committed >= after,
  );
}

/**
 * Runs a writer child that prints "committed <n>" after each append, and SIGKILLs it once
 * `killNow(line, commitsSoFar)` says so; resolves with the appends it reported.
 */
function runUntilKilled(
  args: string[],
  killNow: (line: string, committed: number) => boolean,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('committed ')) committed.push(Number(line.replace('committed ', '')));
        if (killNow(line, committed.length)) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`writer exited with ${code ?? signal} before the kill: ${stderr}`));
    });
  });
}

describe('crash safety (real child process, SIGKILL mid-loop)', () => {
  const dir = makeTempDir('shotclock-crash-');
  afterAll(() => dir.cleanup());

  it('keeps every reported append whole, none partial, and projections equal to a rebuild', async () => {
    const path = join(dir.path, 'crash.sqlite');
    const reported = [
      ...(await runAndKill(path, 0, 150)),
      ...(await runAndKill(path, 10_000, 200)),
    ];
    await verifyLog(path, reported);
  });

  it('loses nothing answered when killed while a WAL flush is in flight', async () => {
    const path = join(dir.path, 'mid-flush.sqlite');
    const reported = await runAndKillMidFlush(path, 40);
    const found = await verifyLog(path, reported);
    // The kill came between a group's commit and its answer: committed, never reported.
    const unreported = [...found.keys()].filter((n) => !reported.includes(n));
    expect(unreported.length).toBeGreaterThan(0);
  });
});

/**
 * Every reported append is whole (3 events), none is partial, its key is a duplicate, and the
 * projection resumed from its checkpoint equals a rebuild. Returns the parts found per append.
 */
async function verifyLog(path: string, reported: number[]): Promise<Map<number, number>> {
  const storage = new SqliteStorage(
    { path, synchronous: 'FULL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
    new SystemClock(),
  );
  try {
    const partsByAppend = new Map<number, number>();
    for await (const event of storage.events.readAll()) {
      const { append } = event.data as { append: number };
      partsByAppend.set(append, (partsByAppend.get(append) ?? 0) + 1);
    }
    for (const n of reported) expect([n, partsByAppend.get(n)]).toEqual([n, 3]);
    for (const [n, parts] of partsByAppend) expect([n, parts]).toEqual([n, 3]);
    // Keys were committed with their events: a redelivery of any reported append is a duplicate.
    for (const n of reported.slice(-20)) {
      const again = await storage.events.append(`crash-${n % 20}`, [], {
        expectedVersion: 'any',
        idempotencyKey: `append-${n}`,
      });
      expect(again.duplicate).toBe(true);
    }

    const runner = new ProjectionRunner(storage, {
      idlePollMs: 20,
      skipCheckpointIntervalMs: 50,
      backoffMs: () => 20,
    });
    runner.register(streamSummaryProjection);
    runner.onApplicationBootstrap();
    await eventually(
      async () => (await runner.status('stream-summaries')).lag === 0,
      'projection resumed',
    );
    const resumed = await storage.readModels.list(STREAM_SUMMARIES);
    await runner.stopAll();
    await runner.rebuild('stream-summaries');
    expect(await storage.readModels.list(STREAM_SUMMARIES)).toEqual(resumed);
    const total = [...partsByAppend.values()].reduce((a, b) => a + b, 0);
    expect(resumed.reduce((sum, { doc }) => sum + Number(doc.event_count), 0)).toBe(total);
    return partsByAppend;
  } finally {
    await storage.close();
  }
}
