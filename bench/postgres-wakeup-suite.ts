import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PostgresStorage } from '../src/common/event-store/postgres/postgres-storage.js';
import type { BenchOptions } from './bench-options.js';
import { latencyStats, ms, type LatencyStats } from './latency-stats.js';
import { BenchSchemas, benchDatabaseUrl } from './postgres-bench-database.js';
import type { WakeUpChildMessage } from './postgres-wakeup-child.js';
import { benchClock } from './workloads.js';

const CHILD = fileURLToPath(new URL('./postgres-wakeup-child.js', import.meta.url));
/** The service's PROJECTION idle poll (timeout.config.ts). */
const IDLE_POLL_MS = 1000;
/**
 * Appends are spaced by a random pause up to this, so that with the poll they land anywhere in
 * its cycle (B's poll restarts when it caught up, right after the previous sample).
 */
const MAX_SPACING_MS: Record<Mode, number> = { notify: 20, poll: IDLE_POLL_MS };
const TIMEOUT_MS = 10_000;

type Mode = 'notify' | 'poll';

/**
 * Cross-instance wake-up on PostgreSQL: instance A (this process) appends one event, instance B
 * (a child process with its own PostgresStorage, pool and listen connection) applies it in a
 * projection (stream-summaries: read model and checkpoint in one transaction) and says so over
 * IPC. A sample is the time from A's append call to B's message, so it includes A's commit and the
 * IPC hop. Run with LISTEN/NOTIFY (`notify`) and without it (`poll`: B sees the append at its
 * 1 s idle poll), one append at a time.
 */
export async function postgresWakeUpSuite(options: BenchOptions): Promise<void> {
  const schemas = await BenchSchemas.connect(
    benchDatabaseUrl(options.value('database-url', '') || undefined),
  );
  const samples = { notify: options.quick ? 100 : 400, poll: options.quick ? 15 : 40 };
  try {
    const results: [Mode, LatencyStats][] = [];
    for (const mode of ['notify', 'poll'] as const) {
      console.error(`wake-up: ${samples[mode]} appends with ${mode} ...`);
      results.push([mode, await measureWakeUps(schemas, mode, samples[mode])]);
    }
    console.log(
      '\nwake-up across instances (PostgreSQL, B in a child process), append on A -> projection applied on B',
    );
    console.log('| B learns of appends by | samples | p50 | p90 | p99 | max |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [mode, stats] of results) {
      const label = mode === 'notify' ? 'LISTEN/NOTIFY' : `idle poll (${IDLE_POLL_MS} ms)`;
      console.log(
        `| ${label} | ${stats.count} | ${ms(stats.p50)} | ${ms(stats.p90)} | ${ms(stats.p99)} | ${ms(stats.max)} |`,
      );
    }
  } finally {
    await schemas.close();
  }
}

async function measureWakeUps(
  schemas: BenchSchemas,
  mode: Mode,
  samples: number,
): Promise<LatencyStats> {
  const schema = schemas.name(`wakeup_${mode}`);
  const a = await PostgresStorage.open(
    {
      connectionString: schemas.url,
      schema,
      poolMax: 10,
      statementTimeoutMs: 30_000,
      busyTimeoutMs: 5_000,
      applicationName: 'shotclock-bench-wakeup-a',
      idempotencyTtlDays: () => 7,
      wakeOtherInstances: mode === 'notify',
    },
    benchClock,
  );
  const b = new AppliedPositions(
    fork(CHILD, [schemas.url, schema, mode, String(IDLE_POLL_MS)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    await b.ready;
    const latenciesMs: number[] = [];
    for (let n = 0; n < samples; n++) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_SPACING_MS[mode]));
      const started = performance.now();
      const { lastPosition } = await a.events.append(
        `game-${n % 10}`,
        [{ type: 'BenchEvent', data: { n } }],
        {
          expectedVersion: 'any',
          idempotencyKey: `wakeup-${mode}-${n}`,
        },
      );
      await b.reached(lastPosition!);
      latenciesMs.push(performance.now() - started);
    }
    return latencyStats(latenciesMs);
  } finally {
    await b.stop();
    await a.close();
  }
}

/** Instance B seen from the parent: the newest position it applied, and waiters for one. */
class AppliedPositions {
  readonly ready: Promise<void>;
  private applied = '';
  private waiter: { position: string; resolve: () => void } | null = null;
  private exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`wake-up child exited (${code}) before it was ready`)),
      );
      child.on('message', (message: WakeUpChildMessage) => {
        if ('ready' in message) return resolve();
        if (message.applied > this.applied) this.applied = message.applied;
        if (this.waiter && this.applied >= this.waiter.position) {
          this.waiter.resolve();
          this.waiter = null;
        }
      });
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Resolves once B applied `position`; rejects after TIMEOUT_MS. */
  reached(position: string): Promise<void> {
    if (this.applied >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`instance B did not apply ${position} within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      this.waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }
}
