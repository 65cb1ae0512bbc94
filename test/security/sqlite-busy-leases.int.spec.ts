import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/common/clock/clock.js';
import { loadConfig } from '../../src/common/config/index.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { LeaseCoordinator, type LeasedJob } from '../../src/common/leases/lease-coordinator.js';
import { holdWriteLock } from '../support/sqlite-write-lock.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';

const TTL_MS = 1000;
const BUSY_MS = 500;
/** Longer than the TTL: every lease held before it lapses during it. */
const HOLD_MS = 2500;
/** A stop later than this after the lease's expiry means the job outlived its lease. */
const SLACK_MS = 150;

/** Records whether it runs and when it last stopped. */
class RecordingJob implements LeasedJob {
  running = false;
  stoppedAtMs: number | null = null;
  start(): void {
    this.running = true;
  }
  async stop(): Promise<void> {
    this.running = false;
    this.stoppedAtMs = Date.now();
  }
}

describe('leases while another process holds the SQLite write lock past the lease TTL', () => {
  const dir = makeTempDir('shotclock-busy-leases-');
  const path = join(dir.path, 'store.sqlite');
  const opened: Array<{ storage: SqliteStorage; coordinator: LeaseCoordinator }> = [];
  afterAll(async () => {
    for (const { storage, coordinator } of opened.splice(0)) {
      await coordinator.beforeApplicationShutdown();
      await storage.close();
    }
    dir.cleanup();
  });

  const instance = (id: string) => {
    const config = loadConfig({
      INSTANCE_ID: id,
      SQLITE_PATH: path,
      TIMEOUT_LEASE_TTL_MS: String(TTL_MS),
      TIMEOUT_LEASE_RENEW_MS: '250',
      TIMEOUT_STORE_BUSY_MS: String(BUSY_MS),
    });
    const storage = new SqliteStorage(
      { path, synchronous: 'NORMAL', busyTimeoutMs: BUSY_MS, idempotencyTtlDays: () => 7 },
      new ManualClock('2026-01-22T12:00:00Z'),
    );
    const coordinator = new LeaseCoordinator(storage, config);
    opened.push({ storage, coordinator });
    return { storage, coordinator };
  };

  it('stops the job by the time its lease lapses, never runs it on two holders, and takes it again after', async () => {
    const a = instance('a');
    const b = instance('b');
    // Several jobs before the watched one: a renewal round that waits on the lock lasts long.
    for (let i = 0; i < 6; i++) a.coordinator.register(`projection:p${i}`, new RecordingJob());
    const [onA, onB] = [new RecordingJob(), new RecordingJob()];
    a.coordinator.register('projection:watched', onA);
    b.coordinator.register('projection:watched', onB);
    await a.coordinator.onApplicationBootstrap();
    await b.coordinator.onApplicationBootstrap();
    expect([onA.running, onB.running]).toEqual([true, false]);

    let bothRan = false;
    const sampler = setInterval(() => {
      if (onA.running && onB.running) bothRan = true;
    }, 5);
    try {
      const lock = await holdWriteLock(path);
      let stillRunning: boolean;
      let expiresAtMs: number;
      try {
        // Nobody renews while the lock is held: this is the lease's last expiry.
        const leases = await a.storage.leases.list();
        expiresAtMs = Date.parse(
          leases.find((lease) => lease.name === 'projection:watched')!.expiresAt,
        );
        await sleep(HOLD_MS);
        stillRunning = onA.running;
      } finally {
        await lock.release();
      }
      expect(stillRunning).toBe(false);
      expect(onA.stoppedAtMs! - expiresAtMs).toBeLessThanOrEqual(SLACK_MS);

      await eventually(
        () => onA.running !== onB.running,
        'one instance runs the job again after the lock',
        5_000,
      );
      await sleep(3 * 250); // a few renewal rounds of both
      expect(onA.running !== onB.running).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    expect(bothRan).toBe(false);
  });
});
