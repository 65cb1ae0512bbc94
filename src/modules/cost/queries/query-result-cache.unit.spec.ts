import type { JobStatistics } from '../analytics-sink.port.js';
import { MAX_CACHE_ENTRIES, QueryResultCache } from './query-result-cache.js';

const statistics: JobStatistics = {
  jobId: 'job-1',
  totalBytesProcessed: 100,
  totalBytesBilled: 10_485_760,
  cacheHit: false,
  durationMs: 5,
  estimated: false,
};
const answer = (cachedAtMs: number, n = 1) => ({ rows: [{ n }], statistics, cachedAtMs });

describe('QueryResultCache', () => {
  it('given a stored answer, then the same key hits until it is maxAgeMs old', () => {
    const cache = new QueryResultCache();
    expect(cache.lookup('q', 'k', 1_000, 500)).toBeNull();
    cache.store('k', answer(1_000));
    expect(cache.lookup('q', 'k', 1_499, 500)?.rows).toEqual([{ n: 1 }]);
    expect(cache.lookup('q', 'k', 1_500, 500)).toBeNull();
    expect(cache.lookup('q', 'other-key', 1_100, 500)).toBeNull();
    expect(cache.stats()).toEqual({ q: { hits: 1, misses: 3 } });
  });

  it('counts per query', () => {
    const cache = new QueryResultCache();
    cache.store('a', answer(0));
    cache.lookup('first', 'a', 1, 10);
    cache.lookup('second', 'b', 1, 10);
    expect(cache.stats()).toEqual({
      first: { hits: 1, misses: 0 },
      second: { hits: 0, misses: 1 },
    });
  });

  it(`keeps at most ${MAX_CACHE_ENTRIES} entries, evicting the oldest stored`, () => {
    const cache = new QueryResultCache();
    for (let i = 0; i <= MAX_CACHE_ENTRIES; i += 1) cache.store(`k${i}`, answer(0, i));
    expect(cache.size).toBe(MAX_CACHE_ENTRIES);
    expect(cache.lookup('q', 'k0', 1, 10)).toBeNull();
    expect(cache.lookup('q', `k${MAX_CACHE_ENTRIES}`, 1, 10)?.rows).toEqual([
      { n: MAX_CACHE_ENTRIES },
    ]);
  });
});
