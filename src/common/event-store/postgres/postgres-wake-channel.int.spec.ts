import {
  postgresStorageFactory,
  withTestDatabase,
} from '../../../../test/support/postgres-storage.factory.js';
import { ManualClock } from '../../clock/clock.js';
import { ProjectionWorker } from '../../projections/projection-worker.js';
import { streamSummaryProjection } from '../../projections/stream-summary.projection.js';
import type { Position } from '../event-envelope.js';
import type { Storage } from '../event-store.port.js';
import { PostgresStorage } from './postgres-storage.js';
import { wakeChannelOf } from './postgres-wake-channel.js';

/** Far below the idle poll, which these followers never reach (IDLE_POLL_MS). */
const WOKEN_WITHIN_MS = 2000;
const IDLE_POLL_MS = 10 * 60_000;
/** How long a store of another schema is watched for a wrong wake-up. */
const QUIET_MS = 500;

const timing = { idlePollMs: IDLE_POLL_MS, skipCheckpointIntervalMs: 0, backoffMs: () => 1000 };

/** Counts `storage`'s onAppended calls from now on. */
function countWakeUps(storage: Storage): { count: () => number; stop: () => void } {
  let count = 0;
  const stop = storage.events.onAppended(() => (count += 1));
  return { count: () => count, stop };
}

async function eventually(what: string, ms: number, check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function pidOf(storage: Storage): number {
  const pid = (storage as PostgresStorage).wakeChannel?.listenerPid ?? null;
  if (pid === null) throw new Error('the store has no listen connection');
  return pid;
}

// PostgreSQL-specific: instances on one schema wake each other's followers with LISTEN/NOTIFY
// (see postgres-wake-channel.ts) instead of waiting for their idle poll.
describe('PostgreSQL wake-up across instances', () => {
  const factory = postgresStorageFactory();
  const clock = new ManualClock();
  afterAll(() => factory.dispose());

  it("applies instance A's append in instance B's projection without B's idle poll", async () => {
    const { storage: a, reopen } = await factory.create(clock);
    const b = await reopen();
    const worker = new ProjectionWorker(streamSummaryProjection, b.events, b.projections, timing);
    try {
      worker.start();
      await eventually('B caught up with the empty log', WOKEN_WITHIN_MS, () => {
        return worker.state === 'running';
      });
      let applied: Position | null = null;
      worker.onProgress((position) => (applied = position));

      const started = Date.now();
      const { lastPosition } = await a.events.append('game-1', [{ type: 'A', data: {} }], {
        expectedVersion: 'any',
      });
      await eventually('B applied the append', WOKEN_WITHIN_MS, () => applied === lastPosition);
      expect(Date.now() - started).toBeLessThan(WOKEN_WITHIN_MS);
    } finally {
      await worker.stop();
      await b.close();
      await a.close();
    }
  });

  it('listens again after the server ended its listen connection, and is woken again', async () => {
    const { storage: a, reopen } = await factory.create(clock);
    const b = await reopen();
    try {
      const killed = pidOf(b);
      await withTestDatabase((client) => client.query('SELECT pg_terminate_backend($1)', [killed]));
      await eventually('B listens on a new connection', 10_000, () => {
        const pid = (b as PostgresStorage).wakeChannel?.listenerPid ?? null;
        return pid !== null && pid !== killed;
      });
      // Counted from here: reconnecting itself wakes B once, for appends it may have missed.
      const wakeUps = countWakeUps(b);
      await a.events.append('game-2', [{ type: 'A', data: {} }], { expectedVersion: 'any' });
      await eventually('B was woken', WOKEN_WITHIN_MS, () => wakeUps.count() > 0);
      wakeUps.stop();
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('does not wake a store of another schema, nor an instance by its own NOTIFY twice', async () => {
    const { storage: a, reopen } = await factory.create(clock);
    const b = await reopen();
    const { storage: other } = await factory.create(clock);
    try {
      const ofOther = countWakeUps(other);
      const ofA = countWakeUps(a);
      const ofB = countWakeUps(b);
      await a.events.append('game-3', [{ type: 'A', data: {} }], { expectedVersion: 'any' });
      await eventually('B was woken', WOKEN_WITHIN_MS, () => ofB.count() > 0);
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      expect(ofOther.count()).toBe(0);
      expect(ofA.count()).toBe(1);
      expect(ofB.count()).toBe(1);
    } finally {
      await other.close();
      await b.close();
      await a.close();
    }
  });

  it('names a channel per schema, hashing names too long for an identifier', () => {
    expect(wakeChannelOf('shotclock')).toBe('shotclock_appended_shotclock');
    const long = 'x'.repeat(63);
    expect(wakeChannelOf(long)).toMatch(/^shotclock_appended_[0-9a-f]{32}$/);
    expect(wakeChannelOf(long)).not.toBe(wakeChannelOf('y'.repeat(63)));
  });

  it('leaves other instances to their idle poll when opened without wake-ups', async () => {
    const { storage: a } = await factory.create(clock);
    const quiet = await PostgresStorage.open(
      {
        ...(a as PostgresStorage).pool.options,
        idempotencyTtlDays: () => 7,
        wakeOtherInstances: false,
      },
      clock,
    );
    try {
      expect(quiet.wakeChannel).toBeNull();
      const wakeUps = countWakeUps(quiet);
      await a.events.append('game-4', [{ type: 'A', data: {} }], { expectedVersion: 'any' });
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      expect(wakeUps.count()).toBe(0);
    } finally {
      await quiet.close();
      await a.close();
    }
  });
});
