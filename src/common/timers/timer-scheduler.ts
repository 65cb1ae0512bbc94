import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock.js';
import { errorMessage } from '../errors/error-message.js';
import {
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

interface CheckWaiter {
  readonly ms: number;
  resolve(): void;
  reject(error: Error): void;
}

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
  private checkedUpToMs = Number.NEGATIVE_INFINITY;
  private readonly checkWaiters = new Set<CheckWaiter>();
  firedCount = 0;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMER_SCHEDULER_TIMING) private readonly timing: TimerSchedulerTiming,
    // Null only when built by hand (unit tests): in the app a module that forgot LeasesModule
    // fails to boot rather than run its job on every instance.
    @Inject(LeaseCoordinator) private readonly leases: LeaseCoordinator | null = null,
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
    let nowMs: number;
    for (;;) {
      nowMs = this.clock.now().getTime();
      const due = await this.storage.timers.due(nowMs, FIRE_BATCH);
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
    this.markChecked(nowMs);
    return fired;
  }

  /**
   * The clock time (ms) up to which a finished pass has fired every due timer that was stored when
   * the pass looked; -Infinity before the first pass. Lets a caller (a test) know that a timer due
   * later has had its chance to fire early, without sleeping.
   */
  checkedUpTo(): number {
    return this.checkedUpToMs;
  }

  /**
   * Resolves once a pass has fired every timer due at or before `ms` on the injected clock (at once
   * when one already has). Rejects when the scheduler shuts down first.
   */
  waitUntilChecked(ms: number): Promise<void> {
    if (this.checkedUpToMs >= ms) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.checkWaiters.add({ ms, resolve, reject });
      this.wake.notify();
    });
  }

  private markChecked(nowMs: number): void {
    this.checkedUpToMs = Math.max(this.checkedUpToMs, nowMs);
    for (const waiter of this.checkWaiters) {
      if (waiter.ms > this.checkedUpToMs) continue;
      this.checkWaiters.delete(waiter);
      waiter.resolve();
    }
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

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
    for (const waiter of this.checkWaiters) {
      const when = Number.isFinite(waiter.ms) ? new Date(waiter.ms).toISOString() : waiter.ms;
      waiter.reject(
        new Error(
          `the timer scheduler shut down before checking the timers due at or before ${when}`,
        ),
      );
    }
    this.checkWaiters.clear();
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
        this.logger.error(
          `firing timers failed, retrying in ${sleepMs} ms: ${errorMessage(error)}`,
        );
      }
      if (sleepMs > 0) await this.wake.wait(sleepMs);
    }
  }
}
