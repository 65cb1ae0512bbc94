import { z } from 'zod';
import { parseSubscriptionMap, type SubscriptionRoute } from '../pubsub-subscription-map.js';
import { configIssue, type ConfigIssue } from '../config-issue.js';
import { envVar, type EnvValues } from '../env-var.js';
import { enumText, integerText } from '../env-schemas.js';

/** What this process runs (HTTP API, Pub/Sub pull, or both) and the subscriptions it pulls. */
export const PUBSUB_PULL_VARS = {
  mode: envVar({
    name: 'SHOTCLOCK_MODE',
    schema: enumText(['all', 'api', 'worker']),
    expected: 'all, api or worker',
    default: 'all',
    description:
      'all: the HTTP API, and pulling when PUBSUB_SUBSCRIPTIONS is set. api: the HTTP API only, no pulling. worker: pulling only (PUBSUB_SUBSCRIPTIONS required); HTTP serves /health, /health/live, /health/ready and /metrics for probes and answers 404 elsewhere.',
  }),
  subscriptions: envVar({
    name: 'PUBSUB_SUBSCRIPTIONS',
    schema: z.string().transform((text, context): readonly SubscriptionRoute[] => {
      const parsed = parseSubscriptionMap(text);
      if (parsed.ok) return parsed.routes;
      context.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
    expected:
      'comma-separated route=projects/<project>/subscriptions/<name> pairs, each subscription once (routes: prediction-completions, phase2-completions)',
    default: [],
    defaultText: '(none)',
    description:
      'The subscriptions this process pulls and the route each feeds, e.g. prediction-completions=projects/p/subscriptions/a,phase2-completions=projects/p/subscriptions/b. A route handles pulled messages exactly as its push route does, under the same idempotency keys.',
  }),
  streams: envVar({
    name: 'PUBSUB_PULL_STREAMS',
    schema: integerText(1, 16),
    expected: 'an integer from 1 to 16',
    default: 2,
    description:
      'Streaming pulls opened per subscription. Pub/Sub applies flow control to each stream, so it may lease up to this many times PUBSUB_PULL_MAX_MESSAGES to the process; more streams deliver faster.',
  }),
  maxMessages: envVar({
    name: 'PUBSUB_PULL_MAX_MESSAGES',
    schema: integerText(1, 10_000),
    expected: 'an integer from 1 to 10000',
    default: 500,
    description:
      'Flow control: most messages in flight (received, not yet acked or nacked) per subscription, past which its streams pause; also how many are handled at once.',
  }),
  maxBytes: envVar({
    name: 'PUBSUB_PULL_MAX_BYTES',
    schema: integerText(1024),
    expected: 'a whole number of bytes, at least 1024',
    default: 104_857_600,
    defaultText: '104857600 (100 MiB)',
    description: 'Flow control: most bytes of message data in flight per subscription.',
  }),
};

export type PubSubPullConfig = EnvValues<typeof PUBSUB_PULL_VARS>;

/** Settings that are valid one by one but not together. */
export function pubSubPullIssues(config: PubSubPullConfig): ConfigIssue[] {
  if (config.mode === 'worker' && config.subscriptions.length === 0) {
    return [
      configIssue(
        'PUBSUB_SUBSCRIPTIONS',
        '',
        'at least one route=projects/<project>/subscriptions/<name> pair with SHOTCLOCK_MODE=worker ' +
          '(a worker only pulls; set SHOTCLOCK_MODE=all or api for a process that serves the HTTP API)',
      ),
    ];
  }
  return [];
}

/** Whether this process pulls: not an api-only process, and some subscription is given. */
export function pullsMessages(config: PubSubPullConfig): boolean {
  return config.mode !== 'api' && config.subscriptions.length > 0;
}
