import type { AlertDeliveryAttempted, AlertRaised } from './alert.events.js';

export const ALERT_COLLECTIONS = {
  /** alert_id -> AlertView */
  alerts: 'alerts',
  /** `<position>` -> { id }: every alert in log order. */
  byOrder: 'alerts_by_order',
  /** `<encoded kind>/<position>` -> { id }: alerts of one kind in log order. */
  byKind: 'alerts_by_kind',
} as const;

export type AttemptView = Omit<AlertDeliveryAttempted, 'alert_id'>;

/** One alert as the read model keeps it. */
export interface AlertView extends AlertRaised, Record<string, unknown> {
  /** Log position of AlertRaised: the list order and its cursor. */
  position: string;
  attempts: AttemptView[];
  /** Set by the final attempt. */
  outcome: 'delivered' | 'failed' | null;
}

export type DeliveryStatus = 'not_configured' | 'pending' | 'delivered' | 'failed';

/** What decides the status of an alert without recorded attempts. */
export interface DeliveryContext {
  /** A channel is configured now. */
  channelConfigured: boolean;
  /** The delivery reaction's checkpoint (null: it has handled nothing yet). */
  deliveryCheckpoint: string | null;
}

/**
 * Where delivery of an alert stands. With a channel the delivery reaction moves past an alert
 * only once an attempt is recorded, so an alert it has passed without attempts was raised while
 * no channel was configured: `not_configured`, even if one is configured now. An alert it has not
 * reached yet is `pending` with a channel and `not_configured` without.
 */
export function deliveryStatus(view: AlertView, context: DeliveryContext): DeliveryStatus {
  if (view.outcome) return view.outcome;
  if (view.attempts.length > 0) return 'pending';
  const passed = context.deliveryCheckpoint !== null && context.deliveryCheckpoint >= view.position;
  return context.channelConfigured && !passed ? 'pending' : 'not_configured';
}

export const kindIndexPrefix = (kind: string) => `${encodeURIComponent(kind)}/`;
