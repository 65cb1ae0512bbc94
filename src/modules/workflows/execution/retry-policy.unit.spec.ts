import { callWithRetries, scraperRetryPolicy, abortableSleep } from './retry-policy.js';
import type { ScraperAttempt } from './scraper-attempt.js';

const timeouts = { retryBackoffBaseMs: 100, retryBackoffMaxMs: 250 };

describe('scraperRetryPolicy', () => {
  it('has 3 attempts and full jitter over the capped exponential delay', () => {
    const policy = scraperRetryPolicy(timeouts, () => 0.5);
    expect(policy.maxAttempts).toBe(3);
    expect([1, 2, 3].map((retry) => policy.delayMs(retry))).toEqual([50, 100, 125]);
    const top = scraperRetryPolicy(timeouts, () => 0.999999);
    expect([1, 2, 3].map((retry) => top.delayMs(retry))).toEqual([100, 200, 250]);
    expect(scraperRetryPolicy(timeouts, () => 0).delayMs(2)).toBe(0);
  });
});

describe('callWithRetries', () => {
  const retryable: ScraperAttempt = { kind: 'retryable', reason: 'http', error: 'HTTP 500' };
  const success: ScraperAttempt = { kind: 'success', rowCount: 1, dataSummary: { rowCount: 1 } };
  const failed: ScraperAttempt = { kind: 'failed', error: 'HTTP 400' };
  const policy = { maxAttempts: 3, delayMs: (retry: number) => retry };

  const scripted = (results: ScraperAttempt[]) => {
    const seen: number[] = [];
    return {
      seen,
      attempt: async (n: number) => {
        seen.push(n);
        return results[n - 1]!;
      },
    };
  };

  it('given retryable then success, returns the success after 2 attempts', async () => {
    const s = scripted([retryable, success]);
    const result = await callWithRetries(s.attempt, policy, new AbortController().signal);
    expect(result).toEqual({ last: success, attempts: 2 });
    expect(s.seen).toEqual([1, 2]);
  });

  it('given retryable 3 times, stops at 3 attempts with the last result', async () => {
    const s = scripted([retryable, retryable, retryable, success]);
    expect(await callWithRetries(s.attempt, policy, new AbortController().signal)).toEqual({
      last: retryable,
      attempts: 3,
    });
  });

  it('given a non-retryable failure, does not retry', async () => {
    const s = scripted([failed, success]);
    expect(await callWithRetries(s.attempt, policy, new AbortController().signal)).toEqual({
      last: failed,
      attempts: 1,
    });
  });

  it('given the signal aborts during a backoff delay, rejects at once', async () => {
    const controller = new AbortController();
    const slow = { maxAttempts: 3, delayMs: () => 60_000 };
    const running = callWithRetries(async () => retryable, slow, controller.signal);
    controller.abort(new Error('workflow timeout'));
    await expect(running).rejects.toThrow('workflow timeout');
  });

  it('abortableSleep resolves after the delay when not aborted', async () => {
    await expect(abortableSleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });
});
