import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock.js';
import {
  describe,
  STORAGE,
  type ScheduledTimer,
  type Storage,
  type TimerRecord,
} from '../event-store/index.js';
import { LeaseCoordinator } from '../leases/lease-coordinator.js';
import { WakeSignal } from '../event-store/wake-signal.js';
import { yieldToEventLoop } from '../event-store/yield-to-event-loop.js';

export interface TimerSchedulerTiming {
  /** Longest sleep before re-checking (timers scheduled by other processes). */
  maxSleepMs: number;
  backoffMs(attempt: number): number;
}

export const TIMER_SCHEDULER_TIMING = Symbol('TIMER_SCHEDULER_TIMING');

const FIRE_BATCH = 100;

/**
 * Appends each due timer's event exactly once. Sleeps until the next due time (or a new timer),
 * and on start fires everything that came due while the process was down.
 */
/** The lease under which the scheduler fires timers (one instance at a time). */
export const TIMER_SCHEDULER_LEASE = 'timer-scheduler';

@Injectable()
export class TimerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TimerScheduler.name);
  private readonly wake = new WakeSignal();
  private running = false;
  private loop: Promise<void> | null = null;
  private failures = 0;
  firedCount = 0;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMER_SCHEDULER_TIMING) private readonly timing: TimerSchedulerTiming,
    @Optional() @Inject(LeaseCoordinator) private readonly leases: LeaseCoordinator | null = null,
  ) {
    const listenable = clock as Partial<{ onAdvance(listener: () => void): unknown }>;
    listenable.onAdvance?.(() => this.wake.notify());
  }

  async schedule(timer: ScheduledTimer): Promise<TimerRecord> {
    const record = await this.storage.timers.schedule(timer);
    this.wake.notify();
    return record;
  }

  cancel(timerId: string): Promise<boolean> {
    return this.storage.timers.cancel(timerId);
  }

  /** Fires every timer due now; returns how many this call fired. */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const due = await this.storage.timers.due(this.clock.now().getTime(), FIRE_BATCH);
      for (const timer of due) {
        const result = await this.storage.timers.fire(timer.timerId);
        if (result) {
          fired += 1;
          this.logger.log(`timer ${timer.timerId} fired: ${timer.event.type} on ${timer.streamId}`);
        }
      }
      if (due.length < FIRE_BATCH) break;
      await yieldToEventLoop();
    }
    this.firedCount += fired;
    return fired;
  }

  /** With leases, the loop runs on the instance holding `timer-scheduler`; else from bootstrap. */
  onApplicationBootstrap(): void {
    if (this.leases) this.leases.register(TIMER_SCHEDULER_LEASE, this);
    else this.start();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.notify();
    await this.loop;
    this.loop = null;
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sleepMs: number;
      try {
        await this.fireDue();
        this.failures = 0;
        const next = await this.storage.timers.nextDueAtMs();
        const untilNext =
          next === null ? this.timing.maxSleepMs : next - this.clock.now().getTime();
        sleepMs = Math.max(0, Math.min(untilNext, this.timing.maxSleepMs));
      } catch (error) {
        this.failures += 1;
        sleepMs = this.timing.backoffMs(this.failures);
        this.logger.error(`firing timers failed, retrying in ${sleepMs} ms: ${describe(error)}`);
      }
      if (sleepMs > 0) await this.wake.wait(sleepMs);
    }
  }
}
