import { backoffMs } from '../../common/config/backoff.js';
import type { TimeoutConfig } from '../../common/config/timeout.config.js';
import type { AlertDeliveryAttempted } from './alert.events.js';

/**
 * Attempts per alert before delivery counts as failed. Three: a blip (one 5xx, one dropped
 * connection) is ridden out, while a channel that is down costs each alert at most three
 * request timeouts plus two backoffs before the next alert gets its turn.
 */
export const MAX_DELIVERY_ATTEMPTS = 3;

export type DeliveryDecision =
  | { kind: 'done'; outcome: 'delivered' | 'failed' }
  | {
      kind: 'attempt';
      attempt: number;
      /** The last one allowed: its failure is recorded as final. */
      final: boolean;
      /** Wait before sending: 0 for the first attempt, backoffMs(attempt - 1) after a failure. */
      delayMs: number;
    };

/** What to do next for an alert, given the delivery attempts recorded on its stream. */
export function decideDelivery(
  attempts: readonly AlertDeliveryAttempted[],
  timeouts: Pick<TimeoutConfig, 'retryBackoffBaseMs' | 'retryBackoffMaxMs'>,
  maxAttempts: number = MAX_DELIVERY_ATTEMPTS,
): DeliveryDecision {
  if (attempts.some((attempt) => attempt.outcome === 'delivered')) {
    return { kind: 'done', outcome: 'delivered' };
  }
  if (attempts.some((attempt) => attempt.final)) return { kind: 'done', outcome: 'failed' };
  const attempt = attempts.reduce((last, recorded) => Math.max(last, recorded.attempt), 0) + 1;
  return {
    kind: 'attempt',
    attempt,
    final: attempt >= maxAttempts,
    delayMs: attempt === 1 ? 0 : backoffMs(attempt - 1, timeouts),
  };
}
