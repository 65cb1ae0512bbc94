import { ManualClock } from '../clock/clock.js';
import type { RecordedEvent, Storage } from '../event-store/index.js';
import { STORAGE_FACTORIES } from '../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../test/support/storage.contract.js';
import { eventually } from '../../../test/support/test-timing.js';
import { TimerScheduler } from './timer-scheduler.js';

const timing = { maxSleepMs: 50, backoffMs: () => 20 };

async function streamEvents(storage: Storage, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of storage.events.readStream(streamId)) events.push(event);
  return events;
}

describe.each(STORAGE_FACTORIES)('TimerScheduler on %s', (_adapter, makeFactory) => {
  let factory: StorageFactory;
  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(() => factory.dispose());

  const deadline = (timerId: string, dueAtMs: number) => ({
    timerId,
    streamId: 'phase2-2026-01-22',
    dueAtMs,
    event: { type: 'Phase2DeadlinePassed', data: { timerId } },
  });

  it('fires a timer when its time comes, with no other activity, exactly once', async () => {
    const clock = new ManualClock('2026-01-22T12:00:00Z');
    const { storage } = await factory.create(clock);
    const scheduler = new TimerScheduler(storage, clock, timing);
    scheduler.onApplicationBootstrap();
    try {
      await scheduler.schedule(deadline('d1', clock.now().getTime() + 30 * 60_000));
      clock.advanceMs(29 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await streamEvents(storage, 'phase2-2026-01-22')).toHaveLength(0);

      clock.advanceMs(60_000);
      await eventually(
        async () => (await streamEvents(storage, 'phase2-2026-01-22')).length === 1,
        'deadline',
      );
      // More scheduler passes change nothing.
      await scheduler.fireDue();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await streamEvents(storage, 'phase2-2026-01-22')).toHaveLength(1);
      expect(scheduler.firedCount).toBe(1);
    } finally {
      await scheduler.onApplicationShutdown();
      await storage.close();
    }
  });

  it('fires timers that came due while the process was down as soon as it starts', async () => {
    const clock = new ManualClock('2026-01-22T12:00:00Z');
    const { storage, reopen } = await factory.create(clock);
    const first = new TimerScheduler(storage, clock, timing);
    await first.schedule(deadline('down-1', clock.now().getTime() + 1000));
    await first.schedule(deadline('down-2', clock.now().getTime() + 2000));
    await first.schedule(deadline('later', clock.now().getTime() + 3_600_000));
    await storage.close();

    clock.advanceMs(10_000); // the process is down meanwhile
    const restarted = await reopen();
    const second = new TimerScheduler(restarted, clock, timing);
    second.onApplicationBootstrap();
    try {
      await eventually(
        async () => (await streamEvents(restarted, 'phase2-2026-01-22')).length === 2,
        'catch-up',
      );
      expect((await restarted.timers.get('later'))?.state).toBe('scheduled');
    } finally {
      await second.onApplicationShutdown();
      await restarted.close();
    }
  });

  it('fires once when two schedulers race on the same store', async () => {
    const clock = new ManualClock('2026-01-22T12:00:00Z');
    const { storage, reopen } = await factory.create(clock);
    const other = await reopen();
    try {
      const a = new TimerScheduler(storage, clock, timing);
      const b = new TimerScheduler(other, clock, timing);
      for (let i = 0; i < 50; i++)
        await a.schedule(deadline(`race-${i}`, clock.now().getTime() + i));
      clock.advanceMs(1000);
      const [firedA, firedB] = await Promise.all([a.fireDue(), b.fireDue()]);
      expect(firedA + firedB).toBe(50);
      expect(await streamEvents(storage, 'phase2-2026-01-22')).toHaveLength(50);
    } finally {
      await storage.close();
      await other.close();
    }
  });

  it('does not fire a cancelled timer', async () => {
    const clock = new ManualClock('2026-01-22T12:00:00Z');
    const { storage } = await factory.create(clock);
    const scheduler = new TimerScheduler(storage, clock, timing);
    await scheduler.schedule(deadline('c1', clock.now().getTime() + 10));
    expect(await scheduler.cancel('c1')).toBe(true);
    clock.advanceMs(100);
    expect(await scheduler.fireDue()).toBe(0);
    await storage.close();
  });
});
