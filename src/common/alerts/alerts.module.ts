import { Global, Module } from '@nestjs/common';
import { AlertService } from './alert.service.js';

/** The alert port: modules raise alerts here; delivery channels follow the recorded events. */
@Global()
@Module({
  providers: [AlertService],
  exports: [AlertService],
})
export class AlertsModule {}
