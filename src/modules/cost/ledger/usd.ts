import { BILLING_ROUNDING_BYTES } from '../embedded/bigquery-bytes.estimator.js';

const TIB = 2 ** 40;

/** On-demand cost of `billedBytes` at `pricePerTib` dollars per TiB, to a millionth of a dollar. */
export const usdOf = (billedBytes: number, pricePerTib: number) =>
  Math.round((billedBytes / TIB) * pricePerTib * 1e6) / 1e6;

/**
 * What a query processing `processedBytes` over `tables` tables would bill: rounded up to the MiB,
 * at least the minimum per table (BigQuery's dry run reports processed bytes only).
 */
export const billedEstimate = (processedBytes: number, tables: number, minimumPerTable: number) =>
  Math.max(
    Math.ceil(processedBytes / BILLING_ROUNDING_BYTES) * BILLING_ROUNDING_BYTES,
    tables * minimumPerTable,
  );
