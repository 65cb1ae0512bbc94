import { backoffMs, type TimeoutConfig } from '../../../common/config/index.js';
import type { ScraperAttempt } from './scraper-attempt.js';

/** Attempts per scraper call (the first one and two retries). */
export const MAX_SCRAPER_ATTEMPTS = 3;

export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before retry `retry` (1 = first retry). */
  delayMs(retry: number): number;
}

/** Exponential backoff from TimeoutConfig with full jitter: uniform in [0, base * 2^(retry-1)], capped. */
export function scraperRetryPolicy(
  timeouts: Pick<TimeoutConfig, 'retryBackoffBaseMs' | 'retryBackoffMaxMs'>,
  random: () => number,
): RetryPolicy {
  return {
    maxAttempts: MAX_SCRAPER_ATTEMPTS,
    delayMs: (retry) => backoffMs(retry, timeouts, { jitter: 'full', random }),
  };
}

export interface RetriedCall {
  /** The last attempt's result. */
  last: ScraperAttempt;
  attempts: number;
}

/**
 * Runs `attempt` until it is not retryable or `maxAttempts` are used, sleeping the policy's delay
 * between attempts. Throws when `signal` aborts (during an attempt or a delay).
 */
export async function callWithRetries(
  attempt: (attemptNumber: number) => Promise<ScraperAttempt>,
  policy: RetryPolicy,
  signal: AbortSignal,
): Promise<RetriedCall> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const last = await attempt(attempts);
    if (last.kind !== 'retryable' || attempts >= policy.maxAttempts) return { last, attempts };
    await abortableSleep(policy.delayMs(attempts), signal);
  }
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
