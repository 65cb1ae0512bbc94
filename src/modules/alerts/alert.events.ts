import type { Holds, SameEventTypes, TypedEvent } from '../../common/event-store/index.js';
import type { AlertSeverity } from '../../common/alerts/alert.port.js';

/** Alert events: one stream per alert, `alert-<alert_id>`. */
export const ALERT_EVENTS = {
  raised: 'AlertRaised',
  deliveryAttempted: 'AlertDeliveryAttempted',
} as const;

export const ALERT_STREAM_PREFIX = 'alert-';

export const alertStream = (alertId: string) => `${ALERT_STREAM_PREFIX}${alertId}`;

export interface AlertRaised {
  alert_id: string;
  kind: string;
  severity: AlertSeverity;
  summary: string;
  details: Record<string, unknown>;
  correlation_id: string | null;
  raised_at: string;
}

export interface AlertDeliveryAttempted {
  alert_id: string;
  channel: string;
  attempt: number;
  outcome: 'delivered' | 'failed';
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: string;
  /** True on the attempt that ends delivery: the one that delivered, or the last one allowed. */
  final: boolean;
}

/** Every alert event: `switch (event.type)` narrows `event.data`. */
export type AlertEvent =
  | TypedEvent<typeof ALERT_EVENTS.raised, AlertRaised>
  | TypedEvent<typeof ALERT_EVENTS.deliveryAttempted, AlertDeliveryAttempted>;

type _EveryAlertEvent = Holds<SameEventTypes<AlertEvent, typeof ALERT_EVENTS>>;
