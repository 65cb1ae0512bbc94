/** Alert events: one stream per alert, `alert-<alert_id>`. */
export const ALERT_EVENTS = {
  raised: 'AlertRaised',
  deliveryAttempted: 'AlertDeliveryAttempted',
} as const;

export const ALERT_STREAM_PREFIX = 'alert-';

export const alertStream = (alertId: string) => `${ALERT_STREAM_PREFIX}${alertId}`;

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** What a module asks to be told to people. */
export interface AlertRequest {
  /**
   * Identifies the situation: raising the same key again records nothing new
   * (e.g. `phase2-deadline:2026-01-22`). Becomes the alert id.
   */
  key: string;
  /** Machine-readable kind, e.g. `phase2_deadline_exceeded`. */
  kind: string;
  severity: AlertSeverity;
  /** One line for humans. */
  summary: string;
  /** Structured details (lists of processors, minutes elapsed, ...). */
  details: Record<string, unknown>;
  correlationId?: string;
}

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
