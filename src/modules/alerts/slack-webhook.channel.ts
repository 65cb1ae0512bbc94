import { errorMessage } from '../../common/errors/error-message.js';
import { redactWebhookUrls, REDACTED } from '../../common/logging/log-redaction.js';
import type { Secret } from '../../common/config/secret.js';
import type { AlertRaised } from './alert.events.js';
import {
  AlertDeliveryError,
  type AlertChannel,
  type AlertDeliveryReceipt,
} from './alert-channel.port.js';
import { formatSlackMessage } from './slack-message.format.js';

/** How much of an error answer's body goes into the error (Slack answers `no_service`, `invalid_payload`...). */
const MAX_ERROR_BODY_CHARS = 200;

/**
 * Posts alerts to a Slack incoming webhook. The webhook URL is a credential: it is revealed only
 * for the request itself, and every error text is scrubbed of it before it leaves this class.
 */
export class SlackWebhookChannel implements AlertChannel {
  readonly name = 'slack';

  constructor(
    private readonly webhookUrl: Secret,
    /** Per request: TimeoutConfig.slackWebhookMs. */
    private readonly requestTimeoutMs: number,
  ) {}

  async send(
    alert: AlertRaised,
    options: { signal?: AbortSignal } = {},
  ): Promise<AlertDeliveryReceipt> {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    let response: Response;
    try {
      response = await fetch(this.webhookUrl.reveal(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(formatSlackMessage(alert)),
        signal,
      });
    } catch (error) {
      if (timeout.aborted) {
        throw new AlertDeliveryError(
          `Slack webhook did not answer within ${this.requestTimeoutMs} ms (TIMEOUT_SLACK_WEBHOOK_MS)`,
          null,
        );
      }
      if (options.signal?.aborted) {
        throw new AlertDeliveryError('Slack webhook request cancelled (shutting down)', null);
      }
      throw new AlertDeliveryError(
        `Slack webhook request failed: ${this.scrub(describeWithCause(error))}`,
        null,
      );
    }
    if (response.ok) {
      // Slack accepted the alert with the 2xx. The body ("ok") is read only to free the
      // connection: a body that breaks off afterwards changes nothing about the delivery.
      await response.arrayBuffer().catch(() => null);
      return { statusCode: response.status };
    }
    const body = await response
      .text()
      .catch((error: unknown) => `(body unreadable: ${errorMessage(error)})`);
    throw new AlertDeliveryError(
      `Slack webhook answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` +
        (body.trim() ? `: ${this.scrub(body.trim().slice(0, MAX_ERROR_BODY_CHARS))}` : ''),
      response.status,
    );
  }

  /** Removes the webhook URL (whole, or its path, which is the credential) from a text. */
  private scrub(text: string): string {
    const url = this.webhookUrl.reveal();
    let scrubbed = text.split(url).join(REDACTED);
    if (URL.canParse(url)) {
      const { pathname, search } = new URL(url);
      if (pathname.length > 1) scrubbed = scrubbed.split(pathname).join(REDACTED);
      if (search.length > 1) scrubbed = scrubbed.split(search).join(REDACTED);
    }
    return redactWebhookUrls(scrubbed);
  }
}

/** fetch's own message is a bare "fetch failed"; the reason (ECONNREFUSED, DNS) is in its cause. */
function describeWithCause(error: unknown): string {
  const message = errorMessage(error);
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? message : `${message} (${errorMessage(cause)})`;
}
