import { z } from 'zod';
import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { enumText, integerText, positiveNumberText, tokenText } from '../env-schemas.js';

/** The analytics sink that decisions and executions are exported to (issue #5). */
export const ANALYTICS_VARS = {
  analyticsSink: envVar({
    name: 'ANALYTICS_SINK',
    schema: enumText(['embedded', 'bigquery'] as const),
    expected: 'embedded or bigquery',
    default: 'embedded' as 'embedded' | 'bigquery',
    description:
      'embedded: analytics tables in the service SQLite database; bigquery: tables in BigQuery (load jobs).',
  }),
  analyticsDataset: envVar({
    name: 'ANALYTICS_DATASET',
    schema: tokenText(1024).refine((name) => /^[A-Za-z0-9_]+$/.test(name), 'letters, digits, _'),
    expected: 'a dataset name (letters, digits, underscores)',
    default: 'nba_orchestration',
    description:
      'BigQuery dataset (and table-name prefix of the embedded sink) of the analytics tables.',
  }),
  bigqueryProjectId: optionalEnvVar({
    name: 'BIGQUERY_PROJECT_ID',
    schema: tokenText(255),
    expected: 'a GCP project id',
    description: 'Project of the analytics dataset; unset = the client library default (ADC).',
  }),
  bigqueryLocation: envVar({
    name: 'BIGQUERY_LOCATION',
    schema: tokenText(64),
    expected: 'a BigQuery location such as US or europe-west1',
    default: 'US',
    description: 'Location of the dataset and of every job.',
  }),
  bigqueryApiEndpoint: optionalEnvVar({
    name: 'BIGQUERY_API_ENDPOINT',
    schema: z.string().url(),
    expected: 'an http(s) URL',
    description:
      'Overrides the BigQuery REST endpoint (tests and emulators); unset = Google’s endpoint.',
  }),
  analyticsPartitionExpirationDays: envVar({
    name: 'ANALYTICS_PARTITION_EXPIRATION_DAYS',
    schema: integerText(1, 3650),
    expected: 'an integer from 1 to 3650 (days)',
    default: 90,
    description: 'BigQuery partition expiration of the analytics tables.',
  }),
  analyticsExportBatchRows: envVar({
    name: 'ANALYTICS_EXPORT_BATCH_ROWS',
    schema: integerText(1, 1_000_000),
    expected: 'an integer from 1 to 1000000 (rows)',
    default: 10_000,
    description:
      'A pending export batch is loaded when it reaches this many rows (or TIMEOUT_ANALYTICS_EXPORT_INTERVAL_MS passes).',
  }),
  bigqueryMaxBytesBilled: envVar({
    name: 'BIGQUERY_MAX_BYTES_BILLED',
    schema: integerText(10_485_760),
    expected: 'an integer of at least 10485760 (bytes)',
    default: 1_073_741_824,
    description:
      'maximumBytesBilled of every analytics query job: a query over it fails instead of billing.',
  }),
  bigqueryPricePerTibUsd: envVar({
    name: 'BIGQUERY_PRICE_PER_TIB_USD',
    schema: positiveNumberText(1_000_000),
    expected: 'a positive number (US dollars)',
    default: 6.25,
    description: 'On-demand query price per TiB billed, for the cost ledger (GET /v1/cost).',
  }),
  bigqueryMinBilledBytesPerTable: envVar({
    name: 'BIGQUERY_MIN_BILLED_BYTES_PER_TABLE',
    schema: integerText(0, 1_099_511_627_776),
    expected: 'an integer number of bytes',
    default: 10_485_760,
    description:
      'Minimum bytes billed per table a query references (BigQuery: 10 MiB); used by the embedded sink’s estimates.',
  }),
};

export type AnalyticsConfig = EnvValues<typeof ANALYTICS_VARS>;
