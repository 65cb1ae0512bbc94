import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { errorMessage } from '../../common/errors/error-message.js';
import {
  aggregateStream,
  STORAGE,
  WrongExpectedVersionError,
  type EventOfType,
  type Recorded,
  type Storage,
} from '../../common/event-store/index.js';
import { replaceUnsupportedText } from '../../common/event-store/text-replacement.js';
import { defineReaction } from '../../common/projections/reaction-definition.js';
import {
  ALERT_EVENTS,
  alertStream,
  type AlertDeliveryAttempted,
  type AlertEvent,
  type AlertRaised,
} from './alert.events.js';
import { ALERT_CHANNEL, AlertDeliveryError, type AlertChannel } from './alert-channel.port.js';
import { alertDeliveryDecider, decideDelivery, NEXT_ATTEMPT } from './alert-delivery.decider.js';

export const ALERT_DELIVERY_REACTION = 'alert-delivery';

/**
 * Delivers each raised alert through the configured channel: attempts 1..MAX_DELIVERY_ATTEMPTS
 * with backoff between them, each recorded as AlertDeliveryAttempted on the alert's stream (key
 * `alert-delivery:<alert_id>:<attempt>`, expected version = the stream as read). The reaction runs
 * at least once per alert, so it first reads the stream and resumes where the record stands: a
 * delivered or finally failed alert is not sent again. A failing channel costs each alert a
 * bounded time and never stops the reaction, so later alerts still go out.
 */
@Injectable()
export class AlertDeliveryReaction implements BeforeApplicationShutdown {
  private readonly logger = new Logger('AlertDelivery');
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ALERT_CHANNEL) private readonly channel: AlertChannel | null,
  ) {}

  readonly definition = defineReaction<AlertEvent>()({
    name: ALERT_DELIVERY_REACTION,
    eventTypes: [ALERT_EVENTS.raised],
    handle: (event) => this.handle(event),
  });

  /** Cuts a backoff wait or request short, so shutdown is not held up by a slow channel. */
  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  private async handle(
    event: Recorded<EventOfType<AlertEvent, typeof ALERT_EVENTS.raised>>,
  ): Promise<void> {
    // No channel: the alert is recorded and logged (AlertService.raise), and that is all.
    if (!this.channel) return;
    const alert = event.data;
    for (;;) {
      const { state: attempts, version } = await aggregateStream(
        this.storage,
        alertStream(alert.alert_id),
        alertDeliveryDecider,
      );
      const decision = decideDelivery(NEXT_ATTEMPT, attempts, this.config.timeouts);
      if (decision.kind === 'done') return;
      if (decision.delayMs > 0) await this.wait(decision.delayMs, alert.alert_id, decision.attempt);
      const attempt = await this.attempt(this.channel, alert, decision.attempt, decision.final);
      // A delivery is recorded even during shutdown (sending it again would be a duplicate); a
      // failure caused by the shutdown is not an attempt that counts.
      if (attempt.outcome === 'failed') this.throwIfShuttingDown(alert.alert_id, decision.attempt);
      try {
        await this.storage.events.append(
          alertStream(alert.alert_id),
          [
            {
              type: ALERT_EVENTS.deliveryAttempted,
              data: attempt,
              metadata: {
                causationId: event.eventId,
                ...(alert.correlation_id ? { correlationId: alert.correlation_id } : {}),
              },
            },
          ],
          {
            expectedVersion: version,
            idempotencyKey: `alert-delivery:${alert.alert_id}:${attempt.attempt}`,
          },
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        this.logger.warn(
          `alert ${alert.alert_id}: another process recorded a delivery attempt meanwhile ` +
            `(stream at ${error.actualVersion}, expected ${version}); leaving delivery to it`,
        );
        return;
      }
      this.report(attempt);
    }
  }

  private async attempt(
    channel: AlertChannel,
    alert: AlertRaised,
    attempt: number,
    final: boolean,
  ): Promise<AlertDeliveryAttempted> {
    const attemptedAt = this.clock.now().toISOString();
    const started = performance.now();
    let failure: { statusCode: number | null; error: string } | null = null;
    let statusCode: number | null = null;
    try {
      ({ statusCode } = await channel.send(alert, { signal: this.shutdown.signal }));
    } catch (error) {
      failure =
        error instanceof AlertDeliveryError
          ? { statusCode: error.statusCode, error: error.message }
          : // A channel bug, not a refusal: recorded like a failure so it cannot stall the reaction.
            { statusCode: null, error: `${channel.name} channel error: ${errorMessage(error)}` };
    }
    return {
      alert_id: alert.alert_id,
      channel: channel.name,
      attempt,
      outcome: failure ? 'failed' : 'delivered',
      status_code: failure ? failure.statusCode : statusCode,
      // Quotes the channel's answer (a webhook's body): keep it storable.
      error: failure ? replaceUnsupportedText(failure.error) : null,
      duration_ms: Math.round(performance.now() - started),
      attempted_at: attemptedAt,
      final: failure ? final : true,
    };
  }

  private report(attempt: AlertDeliveryAttempted): void {
    const what = `alert ${attempt.alert_id}: ${attempt.channel} delivery attempt ${attempt.attempt}`;
    if (attempt.outcome === 'delivered') {
      this.logger.log(`${what} delivered in ${attempt.duration_ms} ms`);
    } else if (attempt.final) {
      this.logger.error(
        `${what} failed: ${attempt.error}; giving up (delivery failed). ` +
          'The alert stays recorded: see GET /v1/alerts/' +
          encodeURIComponent(attempt.alert_id),
      );
    } else {
      this.logger.warn(`${what} failed, retrying: ${attempt.error}`);
    }
  }

  private async wait(delayMs: number, alertId: string, attempt: number): Promise<void> {
    try {
      await sleep(delayMs, undefined, { signal: this.shutdown.signal });
    } catch (error) {
      if (!this.shutdown.signal.aborted) throw error;
    }
    this.throwIfShuttingDown(alertId, attempt);
  }

  /**
   * Shutdown during a delivery: nothing more is recorded and the reaction does not move past the
   * alert, so after a restart delivery resumes at this attempt.
   */
  private throwIfShuttingDown(alertId: string, attempt: number): void {
    if (!this.shutdown.signal.aborted) return;
    throw new Error(
      `alert ${alertId}: delivery interrupted by shutdown before attempt ${attempt} was recorded; ` +
        'it resumes at that attempt after a restart',
    );
  }
}
