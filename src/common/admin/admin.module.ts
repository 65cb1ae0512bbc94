import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { EventsController } from './events.controller.js';
import { FlagsController } from './flags.controller.js';
import { OutboxController } from './outbox.controller.js';
import { ProjectionsController } from './projections.controller.js';
import { StreamsController } from './streams.controller.js';

/** The log, projections, outbox, flags and streams for operators (/v1/events, /v1/projections, ...). */
@Module({
  imports: [ProjectionsModule, OutboxModule],
  controllers: [
    EventsController,
    ProjectionsController,
    OutboxController,
    FlagsController,
    StreamsController,
  ],
})
export class AdminModule {}
