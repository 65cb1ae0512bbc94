import type { TimeoutConfig } from './timeout.config.js';

export interface BackoffOptions {
  /**
   * `none` (default): exactly base * 2^(attempt - 1), capped.
   * `full`: uniform in [0, that]; spreads retries of many clients the most.
   * `equal`: uniform in [that / 2, that]; spreads them while keeping a floor.
   */
  jitter?: 'none' | 'full' | 'equal';
  /** Source of randomness in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/**
 * The delay before retry number `attempt` (1 = first retry): exponential from
 * retryBackoffBaseMs, doubled per attempt, capped at retryBackoffMaxMs, optionally jittered.
 * Attempts below 1 count as 1.
 */
export function backoffMs(
  attempt: number,
  timeouts: Pick<TimeoutConfig, 'retryBackoffBaseMs' | 'retryBackoffMaxMs'>,
  options: BackoffOptions = {},
): number {
  if (Number.isNaN(attempt))
    throw new Error('backoffMs: attempt is NaN; pass the 1-based retry attempt number');
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const cappedMs = Math.min(
    timeouts.retryBackoffMaxMs,
    timeouts.retryBackoffBaseMs * 2 ** exponent,
  );
  const random = options.random ?? Math.random;
  switch (options.jitter ?? 'none') {
    case 'none':
      return cappedMs;
    case 'full':
      return Math.round(random() * cappedMs);
    case 'equal':
      return Math.round(cappedMs / 2 + (random() * cappedMs) / 2);
  }
}
