import { Module, type OnModuleInit } from '@nestjs/common';
import { ALERTS } from '../../common/alerts/alert.port.js';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ProjectionsModule } from '../../common/projections/projections.module.js';
import { ALERT_CHANNEL, type AlertChannel } from './alert-channel.port.js';
import { AlertDeliveryReaction } from './alert-delivery.reaction.js';
import { alertProjection } from './alert.projection.js';
import { AlertQueriesService } from './alert-queries.service.js';
import { AlertService } from './alert.service.js';
import { AlertsController } from './alerts.controller.js';
import { SlackWebhookChannel } from './slack-webhook.channel.js';

/**
 * Implements the alert port (ALERTS, src/common/alerts/alert.port.ts): modules raise alerts here
 * (recorded and logged); the delivery reaction tells them to Slack when SLACK_WEBHOOK_URL is set;
 * GET /v1/alerts reads them back. A module raising alerts imports this one.
 */
@Module({
  imports: [ProjectionsModule],
  controllers: [AlertsController],
  providers: [
    AlertService,
    { provide: ALERTS, useExisting: AlertService },
    AlertQueriesService,
    AlertDeliveryReaction,
    {
      provide: ALERT_CHANNEL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): AlertChannel | null =>
        config.alerts.slackWebhookUrl
          ? new SlackWebhookChannel(config.alerts.slackWebhookUrl, config.timeouts.slackWebhookMs)
          : null,
    },
  ],
  exports: [ALERTS],
})
export class AlertsModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly delivery: AlertDeliveryReaction,
  ) {}

  onModuleInit(): void {
    this.runner.register(alertProjection);
    // Registered even without a channel, so configuring one later does not flood Slack with old alerts.
    this.runner.registerReaction(this.delivery.definition);
  }
}
