import { Module } from '@nestjs/common';
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
})
export class AdminModule {}
