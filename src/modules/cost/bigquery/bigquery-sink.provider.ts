import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { ANALYTICS_SINK, type AnalyticsSink } from '../analytics-sink.port.js';
import { createBigQueryClient } from './bigquery-client.factory.js';
import { BigQuerySink } from './bigquery-sink.js';

/** ANALYTICS_SINK on BigQuery (ANALYTICS_SINK=bigquery). */
export const bigQuerySinkProvider: FactoryProvider<AnalyticsSink> = {
  provide: ANALYTICS_SINK,
  useFactory: (config: AppConfig) =>
    new BigQuerySink({
      client: createBigQueryClient(config.analytics),
      analytics: config.analytics,
      timeouts: config.timeouts,
    }),
  inject: [APP_CONFIG],
};
