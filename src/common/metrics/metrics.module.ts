import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { RequestMetricsMiddleware } from './request-metrics.middleware.js';
import { RequestStats } from './request-stats.js';

/** GET /metrics and the request counters (also read by GET /health). */
@Module({
  imports: [ProjectionsModule, OutboxModule],
  controllers: [MetricsController],
  providers: [MetricsService, RequestStats],
  exports: [MetricsService, RequestStats],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestMetricsMiddleware).forRoutes('*path');
  }
}
