import { Logger, type Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { ANALYTICS_SINK, type AnalyticsSink } from './analytics-sink.port.js';
import { bigQuerySinkProvider } from './bigquery/bigquery-sink.provider.js';
import { EmbeddedAnalyticsSink } from './embedded/embedded-analytics.sink.js';

/** The embedded sink on the service's SQLite file, through a connection of its own. */
export function openEmbeddedSink(config: AppConfig): EmbeddedAnalyticsSink {
  if (config.store.eventStore !== 'sqlite') {
    new Logger('AnalyticsSink').warn(
      `ANALYTICS_SINK=embedded with EVENT_STORE=${config.store.eventStore}: the analytics tables live in ${config.store.sqlitePath} on this instance only, so with several instances each answers from its own file; set ANALYTICS_SINK=bigquery`,
    );
  }
  return new EmbeddedAnalyticsSink({
    path: config.store.sqlitePath,
    busyTimeoutMs: config.timeouts.storeBusyMs,
    dataset: config.analytics.analyticsDataset,
    minBilledBytesPerTable: config.analytics.bigqueryMinBilledBytesPerTable,
  });
}

function openBigQuerySink(config: AppConfig): AnalyticsSink {
  if (typeof bigQuerySinkProvider !== 'object' || !('useFactory' in bigQuerySinkProvider)) {
    throw new Error(
      'ANALYTICS_SINK=bigquery: bigQuerySinkProvider (src/modules/cost/bigquery/bigquery-sink.provider.ts) is not a factory provider; the BigQuery adapter is not wired',
    );
  }
  return bigQuerySinkProvider.useFactory(config) as AnalyticsSink;
}

/** ANALYTICS_SINK by ANALYTICS_SINK: embedded (default) or bigquery. */
export const analyticsSinkProvider: Provider<AnalyticsSink> = {
  provide: ANALYTICS_SINK,
  useFactory: (config: AppConfig) =>
    config.analytics.analyticsSink === 'bigquery'
      ? openBigQuerySink(config)
      : openEmbeddedSink(config),
  inject: [APP_CONFIG],
};
