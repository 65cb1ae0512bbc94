import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../clock/clock.js';
import { loadConfig } from '../config/index.js';
import { FirestoreStorage } from '../event-store/firestore/firestore-storage.js';
import { SqliteStorage } from '../event-store/sqlite/sqlite-storage.js';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../../../test/support/firestore/index.js';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { eventually } from '../../../test/support/test-timing.js';
import { instanceLease, LeaseCoordinator, type LeasedJob } from './lease-coordinator.js';

/** A job that records whether it runs. */
class RecordingJob implements LeasedJob {
  running = false;
  starts = 0;
  start(): void {
    this.running = true;
    this.starts += 1;
  }
  async stop(): Promise<void> {
    this.running = false;
  }
}

describe('LeaseCoordinator (two instances on one real SQLite file)', () => {
  const dir = makeTempDir('shotclock-leases-');
  const path = join(dir.path, 'store.sqlite');
  const opened: Array<{ storage: SqliteStorage; coordinator: LeaseCoordinator }> = [];
  afterAll(() => dir.cleanup());
  afterEach(async () => {
    for (const { storage, coordinator } of opened.splice(0)) {
      await coordinator.beforeApplicationShutdown();
      await storage.close();
    }
  });

  const instance = (id: string) => {
    const config = loadConfig({
      INSTANCE_ID: id,
      SQLITE_PATH: path,
      TIMEOUT_LEASE_TTL_MS: '400',
      TIMEOUT_LEASE_RENEW_MS: '100',
    });
    const storage = new SqliteStorage(
      { path, synchronous: 'NORMAL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
      new ManualClock('2026-01-22T12:00:00Z'),
    );
    const coordinator = new LeaseCoordinator(storage, config);
    opened.push({ storage, coordinator });
    return { storage, coordinator };
  };

  it('runs each job on one instance; the other takes over when the holder shuts down', async () => {
    const a = instance('a');
    const b = instance('b');
    const [jobA, jobB] = [new RecordingJob(), new RecordingJob()];
    a.coordinator.register('projection:p', jobA);
    b.coordinator.register('projection:p', jobB);

    await a.coordinator.onApplicationBootstrap();
    await b.coordinator.onApplicationBootstrap();
    expect([jobA.running, jobB.running]).toEqual([true, false]);
    expect(a.coordinator.holds('projection:p')).toBe(true);
    expect(await b.coordinator.liveInstances()).toEqual(new Set(['a', 'b']));

    await a.coordinator.beforeApplicationShutdown();
    expect(jobA.running).toBe(false);
    await eventually(() => jobB.running, 'b takes the released lease at its next renewal', 2_000);
    expect((await b.storage.leases.list()).find((l) => l.name === 'projection:p')?.holder).toBe(
      'b',
    );
  });

  it('takes over the lapsed lease of a dead holder', async () => {
    const b = instance('b');
    // A holder that took the lease and died: it never renews.
    await b.storage.leases.acquire('timer-scheduler', 'dead', 400);
    const job = new RecordingJob();
    b.coordinator.register('timer-scheduler', job);
    await b.coordinator.onApplicationBootstrap();
    expect(job.running).toBe(false);
    await eventually(() => job.running, 'b takes the lapsed lease', 2_000);
    expect(await b.coordinator.liveInstances()).not.toContain('dead');
  });

  it('stops a job whose lease another instance took (a stalled holder coming back)', async () => {
    const a = instance('a');
    const job = new RecordingJob();
    a.coordinator.register('outbox:t', job);
    await a.coordinator.onApplicationBootstrap();
    expect(job.running).toBe(true);
    // While a was stalled its lease lapsed and c took it.
    await a.storage.leases.release('outbox:t', 'a');
    await a.storage.leases.acquire('outbox:t', 'c', 10_000);
    await eventually(() => !job.running, 'a stops the job at its next renewal', 2_000);
    expect(a.coordinator.holds('outbox:t')).toBe(false);
    expect(await a.coordinator.liveInstances()).toContain(
      instanceLease('a').slice('instance:'.length),
    );
  });

  it('takes at once the leases of a process of this host that no longer exists (crash, restart)', async () => {
    const b = instance('b');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    await b.storage.leases.acquire('timer-scheduler', `${hostname()}-${dead}`, 60_000);
    await b.storage.leases.acquire('outbox:t', 'some-other-host-1', 60_000);
    const [timers, outbox] = [new RecordingJob(), new RecordingJob()];
    b.coordinator.register('timer-scheduler', timers);
    b.coordinator.register('outbox:t', outbox);
    await b.coordinator.onApplicationBootstrap();
    expect(timers.running).toBe(true);
    expect(outbox.running).toBe(false); // another host: only its TTL can tell
  });
});

describe('LeaseCoordinator on Firestore (a lease document locked by a transaction of a dead instance)', () => {
  let target: FirestoreTarget;
  beforeAll(async () => {
    target = await startFirestoreTarget();
  }, 90_000);
  afterAll(() => target?.stop());

  it('keeps renewing its other leases while one waits on the lock, and takes that one back after', async () => {
    const projectId = uniqueFirestoreProjectId('leases');
    const storage = await FirestoreStorage.open(
      target.client(projectId),
      { collectionPrefix: 'shotclock_', idempotencyTtlDays: () => 7 },
      new ManualClock('2026-01-22T12:00:00Z'),
    );
    const config = loadConfig({
      INSTANCE_ID: 'a',
      TIMEOUT_LEASE_TTL_MS: '2000',
      TIMEOUT_LEASE_RENEW_MS: '250',
    });
    const coordinator = new LeaseCoordinator(storage, config);
    const [locked, free] = [new RecordingJob(), new RecordingJob()];
    // Registered first: a renewal round that went lease by lease would wait here first.
    coordinator.register('projection:locked', locked);
    coordinator.register('projection:free', free);
    const renewedAt = async (name: string) =>
      (await storage.leases.list()).find((lease) => lease.name === name)?.renewedAt;
    let release = () => {};
    let blocker: Promise<void> | null = null;
    try {
      await coordinator.onApplicationBootstrap();
      expect([locked.running, free.running]).toEqual([true, true]);

      // Another client's transaction reads the lease and stays open: its lock makes every write
      // of that document wait, as one left behind by a SIGKILLed instance does.
      const other = target.client(projectId);
      const held = new Promise<void>((resolve) => (release = resolve));
      let reading = () => {};
      const read = new Promise<void>((resolve) => (reading = resolve));
      blocker = other.runTransaction(async (tx) => {
        await tx.get(other.doc('shotclock_leases/projection:locked'));
        reading();
        await held;
      });
      await read;
      const before = await renewedAt('projection:free');
      await eventually(() => !locked.running, 'the locked lease lapses and its job stops', 10_000);
      expect(free.running).toBe(true);
      expect(await renewedAt('projection:free')).not.toBe(before);

      release();
      await blocker;
      await eventually(() => locked.running, 'the lease is taken back once unlocked', 30_000);
      expect(free.running).toBe(true);
    } finally {
      release();
      // Only reached after a failure above: the blocker's own outcome does not matter then.
      await blocker?.catch((error: unknown) =>
        console.warn(`blocking transaction: ${String(error)}`),
      );
      await coordinator.beforeApplicationShutdown();
      await storage.close();
    }
  }, 90_000);
});
