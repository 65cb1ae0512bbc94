import { backoffMs } from './backoff.js';
import { PRODUCTION_TIMEOUTS_MS } from './timeout.config.js';

const timeouts = { retryBackoffBaseMs: 1000, retryBackoffMaxMs: 30_000 };

describe('backoffMs', () => {
  it('doubles from the base per attempt and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50, 5000].map((attempt) => backoffMs(attempt, timeouts))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('treats attempts below 1 as the first', () => {
    expect(backoffMs(0, timeouts)).toBe(1000);
    expect(backoffMs(-3, timeouts)).toBe(1000);
  });

  it('rejects NaN with a clear error', () => {
    expect(() => backoffMs(Number.NaN, timeouts)).toThrow(/attempt is NaN/);
  });

  it('jitters within [0, delay] (full) or [delay/2, delay] (equal)', () => {
    expect(backoffMs(3, timeouts, { jitter: 'full', random: () => 0 })).toBe(0);
    expect(backoffMs(3, timeouts, { jitter: 'full', random: () => 0.5 })).toBe(2000);
    expect(backoffMs(3, timeouts, { jitter: 'equal', random: () => 0 })).toBe(2000);
    expect(backoffMs(3, timeouts, { jitter: 'equal', random: () => 0.999 })).toBe(3998);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffMs(10, timeouts, { jitter: 'full' });
      expect(delay >= 0 && delay <= 30_000).toBe(true);
    }
  });

  it('works with the production TimeoutConfig values', () => {
    expect(backoffMs(1, PRODUCTION_TIMEOUTS_MS)).toBe(PRODUCTION_TIMEOUTS_MS.retryBackoffBaseMs);
  });
});
