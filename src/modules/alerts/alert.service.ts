import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import type { AlertPort, AlertRequest } from '../../common/alerts/alert.port.js';
import { ALERT_EVENTS, alertStream, type AlertRaised } from './alert.events.js';

/**
 * Raises alerts: each is recorded as an event (once per key) and logged; delivery to people
 * (Slack) follows from the recorded event, so a crash between the two loses nothing.
 */
@Injectable()
export class AlertService implements AlertPort {
  private readonly logger = new Logger('Alerts');

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records the alert; returns false when an alert with this key was raised before. */
  async raise(request: AlertRequest): Promise<boolean> {
    const raised: AlertRaised = {
      alert_id: request.key,
      kind: request.kind,
      severity: request.severity,
      summary: request.summary,
      details: request.details,
      correlation_id: request.correlationId ?? null,
      raised_at: this.clock.now().toISOString(),
    };
    const result = await this.storage.events.append(
      alertStream(request.key),
      [
        {
          type: ALERT_EVENTS.raised,
          data: raised,
          metadata: request.correlationId ? { correlationId: request.correlationId } : {},
        },
      ],
      { expectedVersion: 'any', idempotencyKey: `alert:${request.key}` },
    );
    if (result.duplicate) return false;
    const log = request.severity === 'critical' ? 'error' : 'warn';
    this.logger[log](`alert ${request.kind} (${request.key}): ${request.summary}`);
    return true;
  }
}
