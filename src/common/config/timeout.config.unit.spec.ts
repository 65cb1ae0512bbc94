import { loadFeatureFlags } from './feature-flags.js';
import { FEATURE_FLAG_DEFINITIONS } from './feature-flag.definitions.js';
import {
  loadTimeoutConfig,
  MAX_TIMEOUT_MS,
  MS_PER_MINUTE,
  PRODUCTION_TIMEOUTS_MS,
  TIMEOUT_NAMES,
  TimeoutConfig,
  timeoutEnvName,
} from './timeout.config.js';

function timeoutsFrom(env: Record<string, string>): TimeoutConfig {
  const result = loadTimeoutConfig(env);
  if (!result.ok) throw new Error(result.issues.map((issue) => issue.line).join('\n'));
  return result.value;
}

function issuesFrom(env: Record<string, string>): string[] {
  const result = loadTimeoutConfig(env);
  if (result.ok) throw new Error(`expected issues for ${JSON.stringify(env)}`);
  return result.issues.map((issue) => issue.line);
}

describe('TimeoutConfig', () => {
  it('defaults to the production values, frozen', () => {
    const timeouts = timeoutsFrom({});
    expect({ ...timeouts }).toEqual(PRODUCTION_TIMEOUTS_MS);
    expect(timeouts).toBeInstanceOf(TimeoutConfig);
    expect(Object.isFrozen(timeouts)).toBe(true);
  });

  it('names each override TIMEOUT_<UPPER_SNAKE_OF_NAME>', () => {
    expect(timeoutEnvName('httpRequestMs')).toBe('TIMEOUT_HTTP_REQUEST_MS');
    expect(timeoutEnvName('phase2CompletionDeadlineMs')).toBe(
      'TIMEOUT_PHASE2_COMPLETION_DEADLINE_MS',
    );
    expect(timeoutEnvName('bigqueryLargeQueryMs')).toBe('TIMEOUT_BIGQUERY_LARGE_QUERY_MS');
    expect(new Set(TIMEOUT_NAMES.map(timeoutEnvName)).size).toBe(TIMEOUT_NAMES.length);
  });

  it('applies every TIMEOUT_ override', () => {
    const env = Object.fromEntries(
      TIMEOUT_NAMES.map((name, i) => [timeoutEnvName(name), String(200_000 + i)]),
    );
    env.TIMEOUT_RETRY_BACKOFF_BASE_MS = '500';
    const timeouts = timeoutsFrom(env);
    TIMEOUT_NAMES.forEach((name, i) => {
      expect([name, timeouts[name]]).toEqual([
        name,
        name === 'retryBackoffBaseMs' ? 500 : 200_000 + i,
      ]);
    });
  });

  it('accepts decimal milliseconds', () => {
    expect(timeoutsFrom({ TIMEOUT_HEALTH_CACHE_MS: '2.5' }).healthCacheMs).toBe(2.5);
  });

  it('ignores TIMEOUT_ overrides when ENABLE_CENTRALIZED_TIMEOUTS is false', () => {
    const timeouts = timeoutsFrom({
      ENABLE_CENTRALIZED_TIMEOUTS: 'false',
      TIMEOUT_HTTP_REQUEST_MS: '5',
      TIMEOUT_STORE_BUSY_MS: '7',
    });
    expect({ ...timeouts }).toEqual(PRODUCTION_TIMEOUTS_MS);
  });

  it('still validates ignored overrides, so turning the flag on cannot break a restart', () => {
    expect(
      issuesFrom({ ENABLE_CENTRALIZED_TIMEOUTS: 'false', TIMEOUT_HTTP_REQUEST_MS: 'fast' }),
    ).toEqual([
      'TIMEOUT_HTTP_REQUEST_MS=fast: expected a number of milliseconds greater than 0, up to 2147483647',
    ]);
  });

  it('decides ENABLE_CENTRALIZED_TIMEOUTS per instance when rolled out by percentage', () => {
    const env = { ENABLE_CENTRALIZED_TIMEOUTS: '50%', TIMEOUT_HTTP_REQUEST_MS: '5' };
    const seen = new Set<number>();
    for (let i = 0; i < 40; i += 1) {
      const flags = loadFeatureFlags(env, { instanceId: `rev-${i}` });
      if (!flags.ok) throw new Error('unexpected flag issues');
      const result = loadTimeoutConfig(env, flags.value);
      if (!result.ok) throw new Error('unexpected timeout issues');
      expect(result.value.httpRequestMs).toBe(
        flags.value.isEnabled('ENABLE_CENTRALIZED_TIMEOUTS')
          ? 5
          : PRODUCTION_TIMEOUTS_MS.httpRequestMs,
      );
      seen.add(result.value.httpRequestMs);
    }
    expect(seen).toEqual(new Set([5, PRODUCTION_TIMEOUTS_MS.httpRequestMs]));
  });

  describe('phase2CompletionDeadlineMs', () => {
    it('comes from PHASE2_COMPLETION_TIMEOUT_MINUTES when set: 0.05 min = 3000 ms', () => {
      expect(
        timeoutsFrom({ PHASE2_COMPLETION_TIMEOUT_MINUTES: '0.05' }).phase2CompletionDeadlineMs,
      ).toBe(3000);
    });

    it('prefers the flag over TIMEOUT_PHASE2_COMPLETION_DEADLINE_MS', () => {
      const timeouts = timeoutsFrom({
        PHASE2_COMPLETION_TIMEOUT_MINUTES: '2',
        TIMEOUT_PHASE2_COMPLETION_DEADLINE_MS: '5000',
      });
      expect(timeouts.phase2CompletionDeadlineMs).toBe(120_000);
    });

    it('follows the flag even when centralized timeouts are off', () => {
      const timeouts = timeoutsFrom({
        ENABLE_CENTRALIZED_TIMEOUTS: 'false',
        PHASE2_COMPLETION_TIMEOUT_MINUTES: '45',
      });
      expect(timeouts.phase2CompletionDeadlineMs).toBe(2_700_000);
    });

    it('else comes from TIMEOUT_PHASE2_COMPLETION_DEADLINE_MS, else 30 minutes', () => {
      expect(
        timeoutsFrom({ TIMEOUT_PHASE2_COMPLETION_DEADLINE_MS: '5000' }).phase2CompletionDeadlineMs,
      ).toBe(5000);
      expect(timeoutsFrom({}).phase2CompletionDeadlineMs).toBe(30 * MS_PER_MINUTE);
    });

    it('caps the flag at the longest Node timer', () => {
      const maxMinutes = FEATURE_FLAG_DEFINITIONS.PHASE2_COMPLETION_TIMEOUT_MINUTES.max;
      expect(maxMinutes * MS_PER_MINUTE).toBeLessThanOrEqual(MAX_TIMEOUT_MS);
      expect((maxMinutes + 1) * MS_PER_MINUTE).toBeGreaterThan(MAX_TIMEOUT_MS);
    });
  });

  it('keeps a missing execution RECENT before DELAYED', () => {
    const result = loadTimeoutConfig({ TIMEOUT_MISSING_EXECUTION_RECENT_MS: '1800000' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((issue) => issue.variable)).toEqual([
        'TIMEOUT_MISSING_EXECUTION_RECENT_MS',
      ]);
    }
  });

  it('reports every bad override at once', () => {
    expect(
      issuesFrom({
        TIMEOUT_HTTP_REQUEST_MS: '0',
        TIMEOUT_STORE_BUSY_MS: '-5',
        TIMEOUT_SHUTDOWN_GRACE_MS: '3000000000',
      }),
    ).toEqual(
      [
        'TIMEOUT_SHUTDOWN_GRACE_MS=3000000000: expected a number of milliseconds greater than 0, up to 2147483647',
        'TIMEOUT_HTTP_REQUEST_MS=0: expected a number of milliseconds greater than 0, up to 2147483647',
        'TIMEOUT_STORE_BUSY_MS=-5: expected a number of milliseconds greater than 0, up to 2147483647',
      ].sort((a, b) => order(a) - order(b)),
    );
  });

  it('keeps the retry base at most the cap and the scraper HTTP timeout under its future', () => {
    expect(issuesFrom({ TIMEOUT_RETRY_BACKOFF_BASE_MS: '60000' })).toEqual([
      'TIMEOUT_RETRY_BACKOFF_BASE_MS=60000: expected at most TIMEOUT_RETRY_BACKOFF_MAX_MS (30000 ms) so the first retry delay does not exceed the cap',
    ]);
    expect(issuesFrom({ TIMEOUT_SCRAPER_FUTURE_MS: '100000' })).toEqual([
      "TIMEOUT_SCRAPER_FUTURE_MS=100000: expected more than TIMEOUT_SCRAPER_HTTP_MS (180000 ms) so a scraper's HTTP call times out before the wait for it does",
    ]);
  });

  it('refuses to construct with an impossible value', () => {
    expect(() => new TimeoutConfig({ ...PRODUCTION_TIMEOUTS_MS, healthCacheMs: 0 })).toThrow(
      /healthCacheMs/,
    );
  });
});

/** Issues come in TimeoutConfig property order. */
function order(line: string): number {
  return TIMEOUT_NAMES.findIndex((name) => line.startsWith(`${timeoutEnvName(name)}=`));
}
