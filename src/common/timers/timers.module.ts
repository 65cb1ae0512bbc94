import { Module } from '@nestjs/common';
import { backoffMs, APP_CONFIG, type AppConfig } from '../config/index.js';
import { LeasesModule } from '../leases/leases.module.js';
import {
  TIMER_SCHEDULER_TIMING,
  TimerScheduler,
  type TimerSchedulerTiming,
} from './timer-scheduler.js';

/** Durable timers: the scheduler that appends each due timer's event once (under a lease). */
@Module({
  imports: [LeasesModule],
  providers: [
    {
      provide: TIMER_SCHEDULER_TIMING,
      useFactory: (config: AppConfig): TimerSchedulerTiming => ({
        maxSleepMs: config.timeouts.timerMaxSleepMs,
        backoffMs: (attempt) => backoffMs(attempt, config.timeouts),
      }),
      inject: [APP_CONFIG],
    },
    TimerScheduler,
  ],
  exports: [TimerScheduler],
})
export class TimersModule {}
