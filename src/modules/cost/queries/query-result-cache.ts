import type { JobStatistics } from '../analytics-sink.port.js';

export interface CachedAnswer {
  rows: ReadonlyArray<Record<string, unknown>>;
  statistics: JobStatistics;
  cachedAtMs: number;
}

export interface CacheCounts {
  hits: number;
  misses: number;
}

/** Entries kept at most (the dashboard's queries and ranges are a handful; this bounds memory). */
export const MAX_CACHE_ENTRIES = 1000;

/**
 * Answers of named queries in memory, keyed by query, parameters and the export watermarks of
 * the partitions they cover (see AnalyticsQueryService). A key whose watermark moved is simply
 * never asked for again; it ages out, or is evicted oldest-first past MAX_CACHE_ENTRIES.
 */
export class QueryResultCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly counts = new Map<string, CacheCounts>();

  /** The answer under `key` if younger than maxAgeMs; counts a hit or a miss for the query. */
  lookup(queryName: string, key: string, nowMs: number, maxAgeMs: number): CachedAnswer | null {
    const counts = this.countsOf(queryName);
    const entry = this.entries.get(key);
    if (entry && nowMs - entry.cachedAtMs < maxAgeMs) {
      counts.hits += 1;
      return entry;
    }
    if (entry) this.entries.delete(key);
    counts.misses += 1;
    return null;
  }

  store(key: string, answer: CachedAnswer): void {
    this.entries.delete(key);
    this.entries.set(key, answer);
    while (this.entries.size > MAX_CACHE_ENTRIES) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  /** Hits and misses per query since this process started. */
  stats(): Record<string, CacheCounts> {
    return Object.fromEntries([...this.counts].map(([name, counts]) => [name, { ...counts }]));
  }

  get size(): number {
    return this.entries.size;
  }

  private countsOf(queryName: string): CacheCounts {
    let counts = this.counts.get(queryName);
    if (!counts) {
      counts = { hits: 0, misses: 0 };
      this.counts.set(queryName, counts);
    }
    return counts;
  }
}
