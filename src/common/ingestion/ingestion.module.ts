import { Global, Module } from '@nestjs/common';
import { PushIngestionService } from './push-ingestion.service.js';
import { PushPipeline } from './push-pipeline.js';
import { QuarantineController } from './quarantine.controller.js';
import { QuarantineService } from './quarantine.service.js';

/** Pub/Sub push ingestion shared by every module that receives messages. */
@Global()
@Module({
  controllers: [QuarantineController],
  providers: [PushPipeline, PushIngestionService, QuarantineService],
  exports: [PushIngestionService, QuarantineService],
})
export class IngestionModule {}
