import { ManualClock } from '../clock/clock.js';
import type { Storage } from '../event-store/index.js';
import { STORAGE_FACTORIES } from '../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../test/support/storage.contract.js';
import { TimerScheduler } from './timer-scheduler.js';

const timing = { maxSleepMs: 50, backoffMs: () => 20 };
const STREAM = 'phase2-2026-01-22';

async function streamLength(storage: Storage): Promise<number> {
  let count = 0;
  for await (const _event of storage.events.readStream(STREAM)) count += 1;
  return count;
}

/** checkedUpTo / waitUntilChecked: the signal tests wait on instead of sleeping. */
describe.each(STORAGE_FACTORIES)('TimerScheduler checked-up-to signal on %s', (_, makeFactory) => {
  let factory: StorageFactory;
  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(() => factory.dispose());

  const timer = (timerId: string, dueAtMs: number) => ({
    timerId,
    streamId: STREAM,
    dueAtMs,
    event: { type: 'Phase2DeadlinePassed', data: { timerId } },
  });

  it('resolves once a pass has fired everything due by then, and nothing due later', async () => {
    const clock = new ManualClock('2026-01-22T12:00:00Z');
    const { storage } = await factory.create(clock);
    const scheduler = new TimerScheduler(storage, clock, timing);
    scheduler.onApplicationBootstrap();
    try {
      const dueAtMs = clock.now().getTime() + 30 * 60_000;
      await scheduler.schedule(timer('t1', dueAtMs));

      clock.advanceMs(30 * 60_000 - 1);
      await scheduler.waitUntilChecked(clock.now().getTime());
      expect(scheduler.checkedUpTo()).toBeGreaterThanOrEqual(dueAtMs - 1);
      expect(await streamLength(storage)).toBe(0);

      clock.advanceMs(1);
      await scheduler.waitUntilChecked(clock.now().getTime());
      // No polling: by the time the wait resolves, the due timer's event is in the log.
      expect(await streamLength(storage)).toBe(1);
      expect(scheduler.checkedUpTo()).toBeGreaterThanOrEqual(dueAtMs);
      // A time already checked resolves at once.
      await scheduler.waitUntilChecked(dueAtMs - 60_000);
    } finally {
      await scheduler.onApplicationShutdown();
      await storage.close();
    }
  });

  it('waits for a pass that has not happened yet (a scheduler not started runs none)', async () => {
    const clock = new ManualClock('2026-01-22T12:00:00Z');
    const { storage } = await factory.create(clock);
    const scheduler = new TimerScheduler(storage, clock, timing);
    try {
      expect(scheduler.checkedUpTo()).toBe(Number.NEGATIVE_INFINITY);
      await scheduler.schedule(timer('t2', clock.now().getTime()));
      let resolved = false;
      const waited = scheduler.waitUntilChecked(clock.now().getTime()).then(() => {
        resolved = true;
      });
      // Not started: no pass has run, so the wait is still pending a turn of the event loop later.
      await new Promise((resolve) => setImmediate(resolve));
      expect(resolved).toBe(false);
      expect(scheduler.checkedUpTo()).toBe(Number.NEGATIVE_INFINITY);

      expect(await scheduler.fireDue()).toBe(1);
      await waited;
      expect(resolved).toBe(true);
      expect(await streamLength(storage)).toBe(1);
    } finally {
      await scheduler.onApplicationShutdown();
      await storage.close();
    }
  });

  it('rejects a pending wait at shutdown, naming the time it waited for', async () => {
    const clock = new ManualClock('2026-01-22T12:00:00Z');
    const { storage } = await factory.create(clock);
    const scheduler = new TimerScheduler(storage, clock, timing);
    try {
      const waited = scheduler.waitUntilChecked(clock.now().getTime());
      await scheduler.onApplicationShutdown();
      await expect(waited).rejects.toThrow(
        'the timer scheduler shut down before checking the timers due at or before 2026-01-22T12:00:00.000Z',
      );
    } finally {
      await storage.close();
    }
  });
});
