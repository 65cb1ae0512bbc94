import type { DeliveryOutcomeKind } from '../../ingestion/delivery-outcome.js';

/**
 * What the ingestion pipeline did with one message, as a pull handler returns it (the dedup
 * module's PushOutcome has this shape; the kernel cannot import it, so the shape lives here and
 * the compiler checks the handlers against it).
 */
export interface PulledOutcome {
  /** The status push would have answered (204, 202, 422, 400, 503, 500). */
  readonly status: number;
  readonly outcome: PulledOutcomeKind;
  readonly detail: string;
}

export type PulledOutcomeKind = DeliveryOutcomeKind;

export type AckAction = 'ack' | 'nack';

export interface AckDecision {
  readonly action: AckAction;
  /** The pipeline's outcome; null when the handler returned something else. */
  readonly outcome: PulledOutcomeKind | null;
  /** Why, for the log line. */
  readonly reason: string;
}

/**
 * The pull side of the response policy (docs/ingestion.md): ack only what has its durable effect
 * (processed, or recorded before: duplicate), or its durable record (quarantined, conflict); nack
 * what push answers 503 or 500 (nothing recorded; Pub/Sub redelivers, and the handler-error
 * policy quarantines at PUSH_MAX_DELIVERY_ATTEMPTS as it does for push) and what is not acceptable
 * as a message at all (push's 400: nothing is recorded, so it is never dropped silently and goes
 * to the dead-letter topic when the subscription has one).
 */
const DECISIONS: Readonly<Record<PulledOutcomeKind, AckAction>> = {
  processed: 'ack',
  duplicate: 'ack',
  quarantined: 'ack',
  conflict: 'ack',
  not_envelope: 'nack',
  unavailable: 'nack',
  failed: 'nack',
};

export function ackDecision(result: unknown): AckDecision {
  if (!isPulledOutcome(result)) {
    return {
      action: 'nack',
      outcome: null,
      reason: `the handler returned ${describe(result)}, not a pipeline outcome: nothing is known to be recorded`,
    };
  }
  const detail =
    typeof result.detail === 'string' && result.detail !== '' ? `: ${result.detail}` : '';
  return {
    action: DECISIONS[result.outcome],
    outcome: result.outcome,
    reason: `${result.outcome}${detail}`,
  };
}

function isPulledOutcome(value: unknown): value is PulledOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome = (value as { outcome?: unknown }).outcome;
  return typeof outcome === 'string' && Object.hasOwn(DECISIONS, outcome);
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const outcome = (value as { outcome?: unknown }).outcome;
  return outcome === undefined
    ? 'an object without an outcome'
    : `an unknown outcome ${JSON.stringify(String(outcome)).slice(0, 80)}`;
}
