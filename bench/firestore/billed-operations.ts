/** Reads, writes and deletes: what Firestore bills per document. */
export interface OperationCounts {
  reads: number;
  writes: number;
  deletes: number;
}

/** One collection's operations, and the RPCs whose first billed operation was on it. */
export interface CollectionOperations extends OperationCounts {
  rpcs: number;
}

/**
 * Firestore's billed operations (Standard edition): a document read per document a lookup
 * returns, found or missing, and per document a query returns (a query that returns nothing still
 * costs one; an aggregation one per 1,000 index entries it counts, at least one), a write per
 * document written (set, update, transform), a delete per document deleted. Storage, network and
 * deletes made by a TTL policy (done by the server, not seen here) are left out.
 */
export interface BilledOperations extends OperationCounts {
  /** RPCs by method name, to see where the operations come from. */
  calls: Record<string, number>;
  /**
   * The same operations by the collection of the documents involved, relative to the database
   * (`shotclock_events`, `shotclock_read_models/batch_progress/docs`); an empty query counts
   * for the collection it asked. RPCs that bill nothing (BeginTransaction, Rollback) are
   * counted under `NO_COLLECTION`.
   */
  byCollection: Record<string, CollectionOperations>;
}

export const NO_COLLECTION = '(no document)';

export const noOperations = (): BilledOperations => ({
  reads: 0,
  writes: 0,
  deletes: 0,
  calls: {},
  byCollection: {},
});

const countsOf = ({ reads, writes, deletes }: OperationCounts): OperationCounts => ({
  reads,
  writes,
  deletes,
});

/** A copy that shares nothing with `ops` (the proxy keeps counting into the original). */
export function copyOperations(ops: BilledOperations): BilledOperations {
  return {
    ...countsOf(ops),
    calls: { ...ops.calls },
    byCollection: Object.fromEntries(
      Object.entries(ops.byCollection).map(([name, counts]) => [
        name,
        { ...countsOf(counts), rpcs: counts.rpcs },
      ]),
    ),
  };
}

export function difference(after: BilledOperations, before: BilledOperations): BilledOperations {
  const calls: Record<string, number> = {};
  for (const [method, count] of Object.entries(after.calls)) {
    const delta = count - (before.calls[method] ?? 0);
    if (delta !== 0) calls[method] = delta;
  }
  const byCollection: Record<string, CollectionOperations> = {};
  for (const [name, counts] of Object.entries(after.byCollection)) {
    const earlier = before.byCollection[name] ?? { reads: 0, writes: 0, deletes: 0, rpcs: 0 };
    const delta = {
      reads: counts.reads - earlier.reads,
      writes: counts.writes - earlier.writes,
      deletes: counts.deletes - earlier.deletes,
      rpcs: counts.rpcs - earlier.rpcs,
    };
    if (Object.values(delta).some((n) => n !== 0)) byCollection[name] = delta;
  }
  return {
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    deletes: after.deletes - before.deletes,
    calls,
    byCollection,
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

/** USD for `perDay` operations a day over a month of `days`, after the daily free quota. */
export function monthlyCost(
  perDay: OperationCounts,
  prices: OperationPrices,
  withFreeQuota: boolean,
  days = 30,
): number {
  const billable = (kind: keyof OperationCounts) =>
    Math.max(0, perDay[kind] - (withFreeQuota ? FREE_PER_DAY[kind] : 0)) * days;
  return (
    (billable('reads') * prices.reads +
      billable('writes') * prices.writes +
      billable('deletes') * prices.deletes) /
    100_000
  );
}
