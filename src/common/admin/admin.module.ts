import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { ADMIN_TOKEN, AdminAuthGuard } from '../http/admin-auth.guard.js';
import { EventsController } from './events.controller.js';
import { FlagsController } from './flags.controller.js';
import { OutboxController } from './outbox.controller.js';
import { ProjectionsController } from './projections.controller.js';
import { StreamsController } from './streams.controller.js';

@Module({
  controllers: [
    EventsController,
    ProjectionsController,
    OutboxController,
    FlagsController,
    StreamsController,
  ],
  providers: [
    {
      provide: ADMIN_TOKEN,
      useFactory: (config: AppConfig) => config.server.adminToken?.reveal(),
      inject: [APP_CONFIG],
    },
    { provide: APP_GUARD, useClass: AdminAuthGuard },
  ],
})
export class AdminModule {}
