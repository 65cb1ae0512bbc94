// A 1,000,000-player batch created (POST with the full list), completed (PredictionCompleted
// through the storage port, appendMulti chunks) and read, beside a 1,000-player batch and bare
// node:sqlite writing the same completion rows, in the same run. RSS of the service is sampled.
//
// The completions are appended while the service is stopped: SQLite lets one process write at a
// time, and a bench writer in a tight loop starves the service's own writers (projections,
// reactions) past their busy timeout. The restarted service then catches up on the whole log,
// which is the projection catch-up figure. The bare-driver baseline runs last, after the service
// has stopped, and `sync` separates the phases (see settle-disk.ts).
import { join } from 'node:path';
import { SystemClock } from '../src/common/clock/clock.js';
import { SqliteStorage } from '../src/common/event-store/sqlite/sqlite-storage.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import type { BenchOptions } from './bench-options.js';
import {
  completeThroughPort,
  completeWithRawSqlite,
  type CompletionRun,
} from './batch-completions.js';
import type { RunningChild } from './child-process.js';
import { player } from './completion-envelopes.js';
import { JsonClient, pollUntil } from './json-client.js';
import { latencyStats, ms, type LatencyStats } from './latency-stats.js';
import { RssSampler } from './rss-sampler.js';
import { mib, startService } from './service-under-bench.js';
import { settleDisk } from './settle-disk.js';
import { rate, type Measurement } from './timing.js';

type BatchView = { completed_count?: number; is_complete?: boolean; completion_reason?: string };

const CHUNK = 1000;
const READ_BLOCK = 100;
const format = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;

interface Results {
  create: { small: number; large: number };
  complete: { small: Measurement; large: Measurement; raw: Measurement };
  /** From the restart until both batches show every completion; how long HTTP went unanswered. */
  catchUp: { ms: number; events: number; liveMs: number; longestReadMs: number; dropped: string[] };
  reads: { small: LatencyStats; large: LatencyStats; count: number };
  firstPages: Record<'completions' | 'missing', [string, string]>;
  rss: {
    idle: number | null;
    creationPeak: number | null;
    catchUpPeak: number | null;
    phases: Map<string, number>;
  };
  final: BatchView;
}

export async function batchesSuite(options: BenchOptions): Promise<void> {
  const largePlayers = Number(options.value('players', options.quick ? '100000' : '1000000'));
  const reads = options.quick ? 500 : 2000;
  const synchronous = options.synchronous;
  const small: CompletionRun = {
    batchId: 'batch_2026-04-01_small',
    gameDate: '2026-04-01',
    prefix: 'small',
    players: 1000,
    chunk: CHUNK,
  };
  const large: CompletionRun = {
    batchId: 'batch_2026-04-02_large',
    gameDate: '2026-04-02',
    prefix: 'large',
    players: largePlayers,
    chunk: CHUNK,
  };
  const dir = makeTempDir('shotclock-bench-batches-');
  const sqlitePath = join(dir.path, 'service.sqlite');
  let service: RunningChild | undefined;
  try {
    console.error(
      `batches: synchronous=${synchronous}, ${format(large.players)} players beside ${format(small.players)}, ${reads} reads each`,
    );
    // 1. Creation: POST /v1/batches with the full list (BATCH_BODY_LIMIT_BYTES is 64 MiB by default).
    service = await startService(dir.path, synchronous);
    const idle = service.rssBytes();
    const creationRss = new RssSampler(service.rssBytes);
    let client = new JsonClient(service.baseUrl);
    const create = { small: await createBatch(client, small), large: 0 };
    creationRss.enter('creation of the large batch');
    console.error(`creating ${large.batchId} ...`);
    create.large = await createBatch(client, large);
    client.close();
    const creationPhases = creationRss.stop();
    const creationPeak = service.peakRssBytes();
    await service.stop();
    settleDisk();

    // 2. Completions through the port, then the same rows on bare node:sqlite.
    console.error(
      `completing ${format(small.players + large.players)} players through the port ...`,
    );
    const storage = new SqliteStorage(
      { path: sqlitePath, synchronous, busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
      new SystemClock(),
    );
    const headBefore = Number((await storage.events.head()) ?? 0);
    const complete = {
      small: await completeThroughPort(storage.events, small),
      large: await completeThroughPort(storage.events, large),
      raw: { operations: 0, seconds: 0 },
    };
    const events = Number((await storage.events.head()) ?? 0) - headBefore;
    await storage.close();
    settleDisk();

    // 3. Catch-up: the service restarts on the log and projects every completion.
    console.error('restarting the service; waiting for the batch-progress projection ...');
    const restarted = performance.now();
    service = await startService(dir.path, synchronous, {}, '/health/live');
    const liveMs = performance.now() - restarted;
    let longestReadMs = 0;
    const dropped: string[] = [];
    const catchUpRss = new RssSampler(service.rssBytes);
    catchUpRss.enter('catch-up after restart');
    client = new JsonClient(service.baseUrl);
    for (const run of [small, large]) {
      await pollUntil(
        `batch ${run.batchId} counting ${run.players} completions`,
        async () => {
          const sent = performance.now();
          const answer = await client
            .get<BatchView>(`/v1/batches/${run.batchId}`)
            .catch((error: unknown) => {
              // A request held past the server's timeouts while its event loop was busy is reset:
              // counted and reported, then asked again on a new connection.
              dropped.push(`${((performance.now() - sent) / 1000).toFixed(1)} s: ${String(error)}`);
              return null;
            });
          longestReadMs = Math.max(longestReadMs, performance.now() - sent);
          if (answer === null) return false;
          if (process.env.BENCH_DEBUG) {
            console.error(
              `${new Date().toISOString()} ${run.batchId}: ${answer.status} in ${answer.ms.toFixed(0)} ms, completed_count ${answer.body.completed_count}`,
            );
          }
          return answer.body.completed_count === run.players;
        },
        60 * 60_000,
        100,
      );
    }
    const catchUp = { ms: performance.now() - restarted, events, liveMs, longestReadMs, dropped };

    // 4. Progress reads, alternating blocks of small and large so both see the same conditions.
    catchUpRss.enter('progress reads');
    const latencies = { small: [] as number[], large: [] as number[] };
    for (let block = 0; block * READ_BLOCK < reads; block++) {
      const order = block % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
      for (const which of order) {
        const run = which === 'small' ? small : large;
        for (let i = 0; i < READ_BLOCK; i++) {
          const answer = await client.get(`/v1/batches/${run.batchId}`);
          if (answer.status !== 200)
            throw new Error(`GET /v1/batches/${run.batchId}: ${answer.status}`);
          latencies[which].push(answer.ms);
        }
      }
    }
    const page = async (run: CompletionRun, path: string) => {
      const answer = await client.get(`/v1/batches/${run.batchId}/${path}?limit=100`);
      return answer.status === 200 ? ms(answer.ms) : `answered ${answer.status}`;
    };
    const firstPages: Results['firstPages'] = {
      completions: [await page(small, 'completions'), await page(large, 'completions')],
      missing: [await page(small, 'missing'), await page(large, 'missing')],
    };
    const final = (await client.get<BatchView>(`/v1/batches/${large.batchId}`)).body;
    client.close();
    const catchUpPhases = catchUpRss.stop();
    const catchUpPeak = service.peakRssBytes();
    await service.stop();

    // 5. Baseline last, on a settled disk, so its bulk writeback slows no service phase.
    settleDisk();
    console.error('baseline: the same completion rows on bare node:sqlite ...');
    complete.raw = await completeWithRawSqlite(dir.path, large, synchronous);
    printResults(synchronous, small, large, {
      create,
      complete,
      catchUp,
      reads: {
        small: latencyStats(latencies.small),
        large: latencyStats(latencies.large),
        count: reads,
      },
      firstPages,
      rss: {
        idle,
        creationPeak,
        catchUpPeak,
        phases: new Map([...creationPhases, ...catchUpPhases]),
      },
      final,
    });
  } catch (error) {
    console.error(`service output (tail):\n${service?.output().slice(-4000) ?? '(not started)'}`);
    throw error;
  } finally {
    await service?.stop();
    dir.cleanup();
  }
}

async function createBatch(client: JsonClient, run: CompletionRun): Promise<number> {
  const body = {
    batch_id: run.batchId,
    game_date: run.gameDate,
    expected_players: Array.from({ length: run.players }, (_, n) => player(run.prefix, n)),
  };
  const answer = await client.post(`/v1/batches`, body);
  if (answer.status !== 201) {
    throw new Error(
      `POST /v1/batches (${run.players} players) answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
    );
  }
  return answer.ms;
}

function printResults(
  synchronous: string,
  small: CompletionRun,
  large: CompletionRun,
  r: Results,
): void {
  const row = (cells: Array<string | number>) => console.log(`| ${cells.join(' | ')} |`);
  const p99Ratio = r.reads.large.p99 / r.reads.small.p99;
  const smallLabel = `(${format(small.players)} players)`;
  row([
    `batches (synchronous=${synchronous})`,
    `${format(large.players)} players`,
    'baseline',
    'ratio',
    'target',
  ]);
  row(['---', '---:', '---:', '---:', '---']);
  row([
    'creation: POST /v1/batches with the full list',
    seconds(r.create.large),
    `${seconds(r.create.small)} ${smallLabel}`,
    '',
    '',
  ]);
  row([
    `completions through the port, appendMulti of ${CHUNK} (completions/s)`,
    format(rate(r.complete.large)),
    `${format(rate(r.complete.raw))} (bare node:sqlite, same rows)`,
    (rate(r.complete.large) / rate(r.complete.raw)).toFixed(2),
    '',
  ]);
  row([
    `projection catch-up after restart, ${format(r.catchUp.events)} completion events (events/s)`,
    `${seconds(r.catchUp.ms)} (${format(r.catchUp.events / (r.catchUp.ms / 1000))}/s)`,
    '',
    '',
    '',
  ]);
  row([
    '  while catching up: first /health/live answer after restart; longest progress read',
    `${seconds(r.catchUp.liveMs)}; ${seconds(r.catchUp.longestReadMs)}` +
      (r.catchUp.dropped.length > 0 ? `; ${r.catchUp.dropped.length} read(s) reset` : ''),
    '',
    '',
    '',
  ]);
  const readRow = (key: 'p50' | 'p99') =>
    row([
      `GET /v1/batches/:id ${key} (${r.reads.count} reads each)`,
      ms(r.reads.large[key]),
      `${ms(r.reads.small[key])} ${smallLabel}`,
      (r.reads.large[key] / r.reads.small[key]).toFixed(2),
      key === 'p99' ? `<= 2: ${p99Ratio <= 2 ? 'met' : 'not met'}` : '',
    ]);
  readRow('p50');
  readRow('p99');
  row([
    'first page of /completions (limit 100)',
    r.firstPages.completions[1],
    `${r.firstPages.completions[0]} ${smallLabel}`,
    '',
    '',
  ]);
  row([
    'first page of /missing (limit 100)',
    r.firstPages.missing[1],
    `${r.firstPages.missing[0]} ${smallLabel}`,
    '',
    '',
  ]);
  row([
    'service peak RSS (VmHWM) while creating',
    mib(r.rss.creationPeak),
    `${mib(r.rss.idle)} (idle after start)`,
    '',
    'bounded',
  ]);
  row([
    'service peak RSS (VmHWM) while catching up and reading',
    mib(r.rss.catchUpPeak),
    '',
    '',
    'bounded',
  ]);
  for (const [phase, peak] of r.rss.phases)
    row([`  sampled RSS peak: ${phase}`, mib(peak), '', '', '']);
  for (const reset of r.catchUp.dropped)
    console.error(`progress read reset during catch-up after ${reset}`);
  console.error(`large batch after the run: ${JSON.stringify(r.final)}`);
}
