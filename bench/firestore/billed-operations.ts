/**
 * Firestore's billed operations (Standard edition): a document read per document a lookup or a
 * query returns (a query that returns nothing still costs one), a write per document written
 * (set, update, transform), a delete per document deleted. Index-entry reads of aggregations and
 * storage are left out: the store uses neither in a hot path.
 */
export interface BilledOperations {
  reads: number;
  writes: number;
  deletes: number;
  /** RPCs by method name, to see where the operations come from. */
  calls: Record<string, number>;
}

export const noOperations = (): BilledOperations => ({
  reads: 0,
  writes: 0,
  deletes: 0,
  calls: {},
});

export function difference(after: BilledOperations, before: BilledOperations): BilledOperations {
  const calls: Record<string, number> = {};
  for (const [method, count] of Object.entries(after.calls)) {
    const delta = count - (before.calls[method] ?? 0);
    if (delta !== 0) calls[method] = delta;
  }
  return {
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    deletes: after.deletes - before.deletes,
    calls,
  };
}

/** Published list prices, USD per 100,000 operations (Standard edition, us-central1 / nam5). */
export interface OperationPrices {
  readonly location: string;
  readonly reads: number;
  readonly writes: number;
  readonly deletes: number;
}

export const US_CENTRAL1_PRICES: OperationPrices = {
  location: 'us-central1',
  reads: 0.03,
  writes: 0.09,
  deletes: 0.01,
};
export const NAM5_PRICES: OperationPrices = {
  location: 'nam5 (multi-region)',
  reads: 0.06,
  writes: 0.18,
  deletes: 0.02,
};

/** The free quota of the (default) database, per day. */
export const FREE_PER_DAY = { reads: 50_000, writes: 20_000, deletes: 20_000 } as const;

/** USD for `perDay` operations a day over a 30-day month, after the daily free quota. */
export function monthlyCost(
  perDay: Pick<BilledOperations, 'reads' | 'writes' | 'deletes'>,
  prices: OperationPrices,
  withFreeQuota: boolean,
): number {
  const billable = (kind: 'reads' | 'writes' | 'deletes') =>
    Math.max(0, perDay[kind] - (withFreeQuota ? FREE_PER_DAY[kind] : 0)) * 30;
  return (
    (billable('reads') * prices.reads +
      billable('writes') * prices.writes +
      billable('deletes') * prices.deletes) /
    100_000
  );
}
