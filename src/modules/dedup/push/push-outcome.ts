import type { DeliveryOutcomeKind } from '../../../common/ingestion/delivery-outcome.js';
/** The pipeline's answer to one delivery, mapped onto Pub/Sub's retry semantics. */
export interface PushOutcome {
  /** 204/202 stop redelivery; 503/500 ask for it; 400/413/422 are permanent answers. */
  status: number;
  outcome: DeliveryOutcomeKind;
  body: Record<string, unknown> | null;
  headers: Record<string, string>;
  quarantineId: string | null;
  detail: string;
  /** Who the message was, when the envelope could be read (for the one log line per message). */
  message: { messageId: string; subscription: string; deliveryAttempt: number | null } | null;
}

export function outcome(
  status: number,
  kind: PushOutcome['outcome'],
  detail: string,
  extra: Partial<Pick<PushOutcome, 'body' | 'headers' | 'quarantineId'>> = {},
): PushOutcome {
  return {
    status,
    outcome: kind,
    detail,
    body: extra.body ?? null,
    headers: extra.headers ?? {},
    quarantineId: extra.quarantineId ?? null,
    message: null,
  };
}

/**
 * Nothing was recorded and Pub/Sub must redeliver (busy store, contended stream): 503 with
 * Retry-After, as every other 503 of the service (StoreUnavailableFilter).
 */
export function retryLater(detail: string, retryAfterSeconds: number): PushOutcome {
  return outcome(503, 'unavailable', detail, {
    body: { status: 'retry', message: detail },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
