import { backoffMs } from '../../common/config/backoff.js';
import type { TimeoutConfig } from '../../common/config/timeout.config.js';
import type { Decider } from '../../common/event-store/index.js';
import { ALERT_EVENTS, type AlertDeliveryAttempted, type AlertEvent } from './alert.events.js';

/**
 * Attempts per alert before delivery counts as failed. Three: a blip (one 5xx, one dropped
 * connection) is ridden out, while a channel that is down costs each alert at most three
 * request timeouts plus two backoffs before the next alert gets its turn.
 */
export const MAX_DELIVERY_ATTEMPTS = 3;

/** The delivery reaction's one question: what next for this alert? */
export interface DeliveryCommand {
  kind: 'next_attempt';
}
export const NEXT_ATTEMPT: DeliveryCommand = { kind: 'next_attempt' };

/** The delivery attempts recorded on the alert's stream, in order. */
export type DeliveryState = readonly AlertDeliveryAttempted[];

export interface DeliveryContext extends Pick<
  TimeoutConfig,
  'retryBackoffBaseMs' | 'retryBackoffMaxMs'
> {
  /** MAX_DELIVERY_ATTEMPTS unless given. */
  maxAttempts?: number;
}

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

export function evolveDelivery(attempts: DeliveryState, event: AlertEvent): DeliveryState {
  return event.type === ALERT_EVENTS.deliveryAttempted ? [...attempts, event.data] : attempts;
}

/**
 * What to do next for an alert, given the delivery attempts recorded on its stream. It decides
 * the attempt; the reaction sends it and records how it went (the event is the channel's answer).
 */
export function decideDelivery(
  _command: DeliveryCommand,
  attempts: DeliveryState,
  { maxAttempts = MAX_DELIVERY_ATTEMPTS, ...timeouts }: DeliveryContext,
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

/** An alert's stream (`alert-<alert_id>`) as a decider of its delivery. */
export const alertDeliveryDecider: Decider<
  DeliveryCommand,
  DeliveryState,
  AlertEvent,
  DeliveryContext,
  DeliveryDecision
> = {
  initialState: () => [],
  evolve: evolveDelivery,
  decide: decideDelivery,
};
