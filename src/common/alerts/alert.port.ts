/**
 * The alert port: what a feature calls to tell people about a situation. The alerts module
 * (src/modules/alerts) implements it (records the alert, delivers it to Slack) and provides it
 * under ALERTS; a feature imports AlertsModule and injects `@Inject(ALERTS) alerts: AlertPort`.
 */
export interface AlertPort {
  /** Records the alert; false when an alert with this key was raised before. */
  raise(request: AlertRequest): Promise<boolean>;
}

/** Injection token of the AlertPort. */
export const ALERTS = Symbol('ALERTS');

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
