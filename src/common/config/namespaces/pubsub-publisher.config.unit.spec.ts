import { ConfigValidationError, loadConfig } from '../index.js';

const errorOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  throw new Error('loadConfig accepted the configuration');
};

describe('pubsub publisher configuration', () => {
  it('defaults to the embedded publisher, without ordering or topic creation', () => {
    expect(loadConfig({}).pubsubPublisher).toEqual({
      outboxPublisher: 'embedded',
      googleCloudProject: undefined,
      pubsubEmulatorHost: undefined,
      pubsubOrdering: false,
      pubsubCreateMissing: false,
      pubsubBatchMaxMessages: 100,
      pubsubBatchMaxBytes: 1_048_576,
    });
  });

  it('reads the pubsub publisher with its project, emulator, ordering and batching', () => {
    const config = loadConfig({
      OUTBOX_PUBLISHER: 'PubSub',
      GOOGLE_CLOUD_PROJECT: 'nba-props-platform',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
      PUBSUB_ORDERING: 'true',
      PUBSUB_CREATE_MISSING: '1',
      PUBSUB_BATCH_MAX_MESSAGES: '10',
      TIMEOUT_PUBSUB_BATCH_MAX_DELAY_MS: '5',
    });
    expect(config.pubsubPublisher).toMatchObject({
      outboxPublisher: 'pubsub',
      googleCloudProject: 'nba-props-platform',
      pubsubEmulatorHost: '127.0.0.1:8085',
      pubsubOrdering: true,
      pubsubCreateMissing: true,
      pubsubBatchMaxMessages: 10,
    });
    expect(config.timeouts.pubsubBatchMaxDelayMs).toBe(5);
  });

  it('refuses pubsub without a project, saying what to set', () => {
    expect(errorOf({ OUTBOX_PUBLISHER: 'pubsub' })).toContain(
      'GOOGLE_CLOUD_PROJECT=(unset): expected the project of the outbox topics, required with OUTBOX_PUBLISHER=pubsub',
    );
  });

  it('names each bad value', () => {
    const message = errorOf({
      OUTBOX_PUBLISHER: 'kafka',
      GOOGLE_CLOUD_PROJECT: 'Bad_Project',
      PUBSUB_ORDERING: 'yes',
      PUBSUB_BATCH_MAX_MESSAGES: '5000',
      PUBSUB_EMULATOR_HOST: 'http://localhost:8085',
    });
    expect(message).toContain('OUTBOX_PUBLISHER=kafka: expected embedded or pubsub');
    expect(message).toContain('GOOGLE_CLOUD_PROJECT=Bad_Project: expected a GCP project id');
    expect(message).toContain('PUBSUB_ORDERING=yes: expected true or false');
    expect(message).toContain('PUBSUB_BATCH_MAX_MESSAGES=5000: expected an integer from 1 to 1000');
    expect(message).toContain('PUBSUB_EMULATOR_HOST=http://localhost:8085: expected host:port');
  });
});
