import { Global, Module } from '@nestjs/common';
import { backoffMs, APP_CONFIG, type AppConfig } from '../config/index.js';
import {
  TIMER_SCHEDULER_TIMING,
  TimerScheduler,
  type TimerSchedulerTiming,
} from './timer-scheduler.js';

@Global()
@Module({
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
