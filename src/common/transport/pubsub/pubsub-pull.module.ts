import { Module } from '@nestjs/common';
import { MetricsModule } from '../../metrics/metrics.module.js';
import { PullMetrics } from './pull-metrics.js';
import { PullStatus } from './pull-status.js';

/**
 * What the pull transport shares with the app: its streams' health (readiness, GET /health) and
 * its metrics. The transport itself (PubSubServer) is connected by connectPullTransport.
 */
@Module({
  imports: [MetricsModule],
  providers: [PullStatus, PullMetrics],
  exports: [PullStatus, PullMetrics],
})
export class PubSubPullModule {}
