import { z } from 'zod';
import { configIssue, type ConfigIssue } from '../config-issue.js';
import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { enumText, integerText, tokenText } from '../env-schemas.js';

export const OUTBOX_PUBLISHERS = ['embedded', 'pubsub'] as const;
export type OutboxPublisherKind = (typeof OUTBOX_PUBLISHERS)[number];

/** GCP project ids (6-30 characters), optionally with a legacy `domain:` prefix. */
const GCP_PROJECT_ID = /^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

const booleanText = z
  .string()
  .regex(/^(true|false|1|0)$/i)
  .transform((text) => /^(true|1)$/i.test(text));

/** Where the outbox publishes: the embedded store, or Google Cloud Pub/Sub topics (docs/pubsub.md). */
export const PUBSUB_PUBLISHER_VARS = {
  outboxPublisher: envVar({
    name: 'OUTBOX_PUBLISHER',
    schema: enumText(OUTBOX_PUBLISHERS),
    expected: 'embedded or pubsub',
    default: 'embedded' as OutboxPublisherKind,
    description:
      'embedded: outbound messages stay in the store (GET /v1/outbox); pubsub: each route publishes to its Pub/Sub topic (PHASE3_TOPIC, PHASE5_TOPIC) in GOOGLE_CLOUD_PROJECT.',
  }),
  googleCloudProject: optionalEnvVar({
    name: 'GOOGLE_CLOUD_PROJECT',
    schema: tokenText(64).regex(GCP_PROJECT_ID),
    expected: 'a GCP project id (6-30 lowercase letters, digits, hyphens, starting with a letter)',
    description:
      'Project of the outbox topics (required with OUTBOX_PUBLISHER=pubsub) and of the Firestore the legacy mirror writes (required with FIRESTORE_LEGACY_MIRROR=true).',
  }),
  pubsubEmulatorHost: optionalEnvVar({
    name: 'PUBSUB_EMULATOR_HOST',
    schema: tokenText(255).regex(/^[^\s/]+:\d{1,5}$/),
    expected: 'host:port of a Pub/Sub emulator',
    description:
      "Publishes to the Pub/Sub emulator at this address instead of Google's endpoint (development and tests).",
  }),
  pubsubOrdering: envVar({
    name: 'PUBSUB_ORDERING',
    schema: booleanText,
    expected: 'true or false',
    default: false,
    description:
      "true: each message's ordering key is its event's stream, so a subscription with message ordering receives a stream's messages in log order.",
  }),
  pubsubCreateMissing: envVar({
    name: 'PUBSUB_CREATE_MISSING',
    schema: booleanText,
    expected: 'true or false',
    default: false,
    description:
      'true (development only): a topic missing at boot is created; false: it is reported (log, GET /v1/outbox, readiness detail) and left to the deployment.',
  }),
  pubsubBatchMaxMessages: envVar({
    name: 'PUBSUB_BATCH_MAX_MESSAGES',
    schema: integerText(1, 1000),
    expected: 'an integer from 1 to 1000 (messages)',
    default: 100,
    description:
      'A publish batch is sent once it holds this many messages (or TIMEOUT_PUBSUB_BATCH_MAX_DELAY_MS passes).',
  }),
  pubsubBatchMaxBytes: envVar({
    name: 'PUBSUB_BATCH_MAX_BYTES',
    schema: integerText(1024, 9_437_184),
    expected: 'an integer from 1024 to 9437184 (bytes)',
    default: 1_048_576,
    description: 'A publish batch is sent once it holds this many bytes.',
  }),
};

type PubSubPublisherValues = EnvValues<typeof PUBSUB_PUBLISHER_VARS>;

/** The outbox publisher, resolved: the kind and, for Pub/Sub, what it needs. */
export interface PubSubPublisherConfig {
  readonly outboxPublisher: OutboxPublisherKind;
  readonly googleCloudProject: string | undefined;
  readonly pubsubEmulatorHost: string | undefined;
  readonly pubsubOrdering: boolean;
  readonly pubsubCreateMissing: boolean;
  readonly pubsubBatchMaxMessages: number;
  readonly pubsubBatchMaxBytes: number;
}

/** Checks that `pubsub` has its project; every problem is an issue. */
export function resolvePubSubPublisher(values: PubSubPublisherValues): {
  value: PubSubPublisherConfig;
  issues: ConfigIssue[];
} {
  const issues: ConfigIssue[] = [];
  if (values.outboxPublisher === 'pubsub' && values.googleCloudProject === undefined) {
    issues.push(
      configIssue(
        'GOOGLE_CLOUD_PROJECT',
        '(unset)',
        'the project of the outbox topics, required with OUTBOX_PUBLISHER=pubsub (or set OUTBOX_PUBLISHER=embedded)',
      ),
    );
  }
  return { value: values, issues };
}
