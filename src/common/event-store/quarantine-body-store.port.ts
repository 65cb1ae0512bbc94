/** One raw body held for a quarantine entry or a conflict record. */
export interface QuarantineBody {
  id: string;
  body: Buffer;
  bytes: number;
  /** ISO timestamp given to `put`. */
  receivedAt: string;
}

/** What the body store holds now, over every instance sharing the store. */
export interface QuarantineBodyUsage {
  bytes: number;
  bodies: number;
}

export interface QuarantineEviction {
  evicted: number;
  bytes: number;
}

/** Counters since this process opened the store (exported as metrics). */
export interface QuarantineBodyStats {
  evictions: number;
  evictedBytes: number;
}

/**
 * Raw bodies of quarantined messages and conflict records, outside the append-only log so they can
 * be evicted; the log keeps each entry's metadata with the body's size and sha256. The store keeps
 * a running total, so checking the cap after a put costs nothing.
 */
export interface QuarantineBodyStore {
  readonly stats: QuarantineBodyStats;
  /** Holds `body` under `id` (a second put under the same id keeps the first); returns the usage after it. */
  put(id: string, body: Buffer, receivedAt: string): Promise<QuarantineBodyUsage>;
  /** The body, or null when it was evicted or never held. */
  get(id: string): Promise<QuarantineBody | null>;
  /** Drops one body (an orphan whose append turned out to be a duplicate); true when it was held. */
  delete(id: string): Promise<boolean>;
  /**
   * Evicts the oldest bodies (in the order they were put) until at most `maxBytes` are held, in
   * short transactions that never hold the store for long.
   */
  evictOver(maxBytes: number): Promise<QuarantineEviction>;
  usage(): Promise<QuarantineBodyUsage>;
}
