import type { AlertRaised } from './alert.events.js';

/** Where alerts are told to people (Slack today). */
export interface AlertChannel {
  /** Recorded with each delivery attempt, e.g. `slack`. */
  readonly name: string;
  /** Delivers one alert; throws AlertDeliveryError when it was not accepted. */
  send(alert: AlertRaised, options?: { signal?: AbortSignal }): Promise<AlertDeliveryReceipt>;
}

/** What the channel answered to an accepted alert. */
export interface AlertDeliveryReceipt {
  /** HTTP status, for channels that speak HTTP. */
  statusCode: number | null;
}

/** Injection token of the configured channel; `null` when none is configured. */
export const ALERT_CHANNEL = Symbol('ALERT_CHANNEL');

/**
 * A delivery the channel did not accept. The message is safe to log and record: channels never
 * put their endpoint (a webhook URL is a credential) into it.
 */
export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    /** HTTP status the endpoint answered; null when no answer came (timeout, connection error). */
    readonly statusCode: number | null,
  ) {
    super(message);
    this.name = 'AlertDeliveryError';
  }
}
