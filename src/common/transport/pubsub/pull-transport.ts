import type { PubSub } from '@google-cloud/pubsub';
import { Logger, type INestApplication } from '@nestjs/common';
import type { AppConfig } from '../../config/index.js';
import { pullsMessages } from '../../config/namespaces/pubsub-pull.config.js';
import { errorMessage } from '../../errors/error-message.js';
import { createPubSubClient } from '../../gcp/pubsub-client.js';
import { ShutdownState } from '../../health/shutdown-state.js';
import { PubSubServer } from './pubsub.server.js';
import { PullMetrics } from './pull-metrics.js';
import { PullStatus } from './pull-status.js';

/**
 * Connects the pull transport to the app when this process pulls (SHOTCLOCK_MODE all or worker,
 * with PUBSUB_SUBSCRIPTIONS), or returns null. Start it with `app.startAllMicroservices()` after
 * `app.init()`. Pulling stops when shutdown begins (the signal), not after the HTTP drain: a
 * pulled message needs no load balancer to notice anything. `client` defaults to one for the
 * first subscription's project, on the emulator of PUBSUB_EMULATOR_HOST when that is set; the
 * server closes it.
 */
export function connectPullTransport(
  app: INestApplication,
  config: AppConfig,
  client?: PubSub,
): PubSubServer | null {
  const pull = config.pubsubPull;
  if (!pullsMessages(pull)) return null;
  const server = new PubSubServer({
    client:
      client ??
      createPubSubClient(
        pull.subscriptions[0]!.projectId,
        config.pubsubPublisher.pubsubEmulatorHost,
      ),
    routes: pull.subscriptions,
    streams: pull.streams,
    maxMessages: pull.maxMessages,
    maxBytes: pull.maxBytes,
    timeouts: config.timeouts,
    status: app.get(PullStatus),
    metrics: app.get(PullMetrics),
  });
  app.connectMicroservice({ strategy: server });
  const logger = new Logger('PubSubPull');
  app.get(ShutdownState).onBegin(() => {
    server
      .close()
      .catch((error: unknown) =>
        logger.error(`stopping the pull transport failed: ${errorMessage(error)}`),
      );
  });
  return server;
}
