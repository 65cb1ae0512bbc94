import { Global, Module, type DynamicModule } from '@nestjs/common';
import { backoffMs, APP_CONFIG, type AppConfig } from '../config/index.js';
import { CLOCK, SystemClock, type Clock } from '../clock/clock.js';
import { STORAGE } from './event-store.port.js';
import { FOLLOWER_TIMING, type FollowerTiming } from './follower-timing.js';
import { openStorage } from './storage.factory.js';

/** The store and what every log follower needs (ShutdownCoordinator closes it last). */
@Global()
@Module({
  providers: [
    {
      provide: STORAGE,
      useFactory: (config: AppConfig, clock: Clock) => openStorage(config, clock),
      inject: [APP_CONFIG, CLOCK],
    },
    {
      provide: FOLLOWER_TIMING,
      useFactory: (config: AppConfig): FollowerTiming => ({
        idlePollMs: config.timeouts.projectionIdlePollMs,
        skipCheckpointIntervalMs: config.timeouts.followerSkipCheckpointMs,
        backoffMs: (attempt) => backoffMs(attempt, config.timeouts),
      }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [STORAGE, FOLLOWER_TIMING],
})
export class EventStoreModule {
  /** `clock` replaces the system clock (tests drive time with a ManualClock). */
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: EventStoreModule,
      global: true,
      providers: [{ provide: CLOCK, useValue: clock }],
      exports: [CLOCK],
    };
  }
}
