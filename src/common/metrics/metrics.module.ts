import { Global, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { RequestMetricsMiddleware } from './request-metrics.middleware.js';
import { RequestStats } from './request-stats.js';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, RequestStats],
  exports: [MetricsService, RequestStats],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestMetricsMiddleware).forRoutes('*path');
  }
}
