import { ConfigValidationError } from '../config-validation.error.js';
import { loadConfig } from '../app-config.js';
import { pullsMessages } from './pubsub-pull.config.js';

const SUBSCRIPTIONS = 'prediction-completions=projects/p/subscriptions/shotclock-predictions';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.lines;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('pubsub-pull configuration (SHOTCLOCK_MODE, PUBSUB_SUBSCRIPTIONS, pull timeouts)', () => {
  it('defaults to mode all without pulling', () => {
    const { pubsubPull } = loadConfig({});
    expect(pubsubPull).toMatchObject({
      mode: 'all',
      subscriptions: [],
      streams: 2,
      maxMessages: 500,
    });
    expect(pullsMessages(pubsubPull)).toBe(false);
  });

  it.each([
    ['all', true],
    ['worker', true],
    ['api', false],
  ])('with subscriptions, SHOTCLOCK_MODE=%s pulls: %s', (mode, pulls) => {
    const { pubsubPull } = loadConfig({
      SHOTCLOCK_MODE: mode,
      PUBSUB_SUBSCRIPTIONS: SUBSCRIPTIONS,
    });
    expect(pullsMessages(pubsubPull)).toBe(pulls);
    expect(pubsubPull.subscriptions).toEqual([
      {
        route: 'prediction-completions',
        subscription: 'projects/p/subscriptions/shotclock-predictions',
        projectId: 'p',
      },
    ]);
  });

  it('refuses a worker without subscriptions, saying what a worker needs', () => {
    expect(problems({ SHOTCLOCK_MODE: 'worker' })).toEqual([
      expect.stringMatching(
        /^PUBSUB_SUBSCRIPTIONS=: expected at least one route=projects\/<project>\/subscriptions\/<name> pair with SHOTCLOCK_MODE=worker \(a worker only pulls/,
      ),
    ]);
  });

  it('refuses an unknown mode and a malformed map, one line each', () => {
    expect(
      problems({ SHOTCLOCK_MODE: 'pull', PUBSUB_SUBSCRIPTIONS: 'predictions=my-sub' }),
    ).toEqual([
      'SHOTCLOCK_MODE=pull: expected all, api or worker',
      expect.stringMatching(
        /^PUBSUB_SUBSCRIPTIONS=predictions=my-sub: expected comma-separated route=projects\/<project>\/subscriptions\/<name> pairs/,
      ),
    ]);
  });

  it.each(['9999', '600001'])(
    'refuses an ack deadline Pub/Sub does not accept (%s ms)',
    (value) => {
      const env = {
        TIMEOUT_PUBSUB_PULL_ACK_DEADLINE_MS: value,
        TIMEOUT_PUBSUB_PULL_MAX_EXTENSION_MS: '900000',
      };
      expect(problems(env)).toEqual([
        `TIMEOUT_PUBSUB_PULL_ACK_DEADLINE_MS=${value}: expected from 10000 to 600000 (the ack deadlines Pub/Sub accepts)`,
      ]);
    },
  );

  it('refuses an ack deadline longer than the extension limit', () => {
    expect(problems({ TIMEOUT_PUBSUB_PULL_MAX_EXTENSION_MS: '20000' })).toEqual([
      'TIMEOUT_PUBSUB_PULL_MAX_EXTENSION_MS=20000: expected at least TIMEOUT_PUBSUB_PULL_ACK_DEADLINE_MS ' +
        "(30000 ms) so a pulled message's deadline can be extended at least once",
    ]);
  });

  it('refuses a pull close longer than the shutdown grace', () => {
    expect(problems({ TIMEOUT_PUBSUB_PULL_CLOSE_MS: '7000' })).toEqual([
      'TIMEOUT_PUBSUB_PULL_CLOSE_MS=7000: expected at most TIMEOUT_SHUTDOWN_GRACE_MS (6000 ms) ' +
        'so pulled messages in flight settle before the shutdown grace runs out',
    ]);
  });
});
