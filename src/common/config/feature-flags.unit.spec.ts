import {
  FEATURE_FLAG_DEFINITIONS,
  FLAG_NAMES,
  type BooleanFlagName,
} from './feature-flag.definitions.js';
import { loadFeatureFlags, type FeatureFlags } from './feature-flags.js';
import { rolloutBucket } from './rollout-bucket.js';

function flagsFrom(env: Record<string, string>, instanceId = 'instance-a'): FeatureFlags {
  const result = loadFeatureFlags(env, { instanceId });
  if (!result.ok) throw new Error(result.issues.map((issue) => issue.line).join('\n'));
  return result.value;
}

const BOOLEAN_FLAGS = FLAG_NAMES.filter(
  (name) => FEATURE_FLAG_DEFINITIONS[name].kind === 'boolean',
) as BooleanFlagName[];

describe('FeatureFlags', () => {
  it('defines exactly the planned flags', () => {
    expect(FLAG_NAMES).toEqual([
      'ENABLE_PHASE2_COMPLETION_DEADLINE',
      'PHASE2_COMPLETION_TIMEOUT_MINUTES',
      'ENABLE_SUBCOLLECTION_COMPLETIONS',
      'DUAL_WRITE_MODE',
      'USE_SUBCOLLECTION_READS',
      'ENABLE_QUERY_CACHING',
      'QUERY_CACHE_TTL_SECONDS',
      'ENABLE_IDEMPOTENCY_KEYS',
      'DEDUP_TTL_DAYS',
      'ENABLE_PARALLEL_CONFIG',
      'ENABLE_CENTRALIZED_TIMEOUTS',
      'ENABLE_STRUCTURED_LOGGING',
    ]);
  });

  it('turns every boolean flag on for a fresh install except DUAL_WRITE_MODE', () => {
    const flags = flagsFrom({});
    for (const name of BOOLEAN_FLAGS) {
      expect([name, flags.isEnabled(name, 'any-unit')]).toEqual([name, name !== 'DUAL_WRITE_MODE']);
      expect(flags.source(name)).toBe('default');
    }
    expect(flags.number('PHASE2_COMPLETION_TIMEOUT_MINUTES')).toBe(30);
    expect(flags.number('QUERY_CACHE_TTL_SECONDS')).toBe(86_400);
    expect(flags.number('DEDUP_TTL_DAYS')).toBe(7);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
  ])('reads %s as %s, with or without a unit value', (raw, expected) => {
    const flags = flagsFrom({ ENABLE_QUERY_CACHING: raw });
    expect(flags.isEnabled('ENABLE_QUERY_CACHING')).toBe(expected);
    expect(flags.isEnabled('ENABLE_QUERY_CACHING', 'daily-games')).toBe(expected);
    expect(flags.rolloutPercent('ENABLE_QUERY_CACHING')).toBe(expected ? 100 : 0);
  });

  it('decides a percentage rollout per unit value by its bucket', () => {
    const flags = flagsFrom({ ENABLE_QUERY_CACHING: '12.5%' });
    for (const unit of ['daily-games', 'player-props', 'team-form', 'odds-history']) {
      expect(flags.isEnabled('ENABLE_QUERY_CACHING', unit)).toBe(
        rolloutBucket('ENABLE_QUERY_CACHING', unit) <= 12.5,
      );
    }
    expect(flags.rolloutPercent('ENABLE_QUERY_CACHING')).toBe(12.5);
  });

  it('refuses to guess a percentage flag without a unit value, naming the flag and its unit', () => {
    const flags = flagsFrom({ ENABLE_PHASE2_COMPLETION_DEADLINE: '10%', DUAL_WRITE_MODE: '100%' });
    expect(() => flags.isEnabled('ENABLE_PHASE2_COMPLETION_DEADLINE')).toThrow(
      /ENABLE_PHASE2_COMPLETION_DEADLINE.*10%.*game_date/,
    );
    expect(() => flags.isEnabled('DUAL_WRITE_MODE', '')).toThrow(/DUAL_WRITE_MODE.*batch_id/);
    expect(flags.isEnabled('DUAL_WRITE_MODE', 'batch-1')).toBe(true);
  });

  it('uses the instance id as the unit of instance flags', () => {
    const instances = Array.from({ length: 50 }, (_, i) => `instance-${i}`);
    for (const instance of instances) {
      const flags = flagsFrom({ ENABLE_STRUCTURED_LOGGING: '50%' }, instance);
      const expected = rolloutBucket('ENABLE_STRUCTURED_LOGGING', instance) <= 50;
      expect(flags.isEnabled('ENABLE_STRUCTURED_LOGGING')).toBe(expected);
    }
  });

  it('takes the instance id from INSTANCE_ID when not given', () => {
    const result = loadFeatureFlags({ ENABLE_STRUCTURED_LOGGING: '50%', INSTANCE_ID: 'rev-42' });
    if (!result.ok) throw new Error('unexpected issues');
    expect(result.value.isEnabled('ENABLE_STRUCTURED_LOGGING')).toBe(
      rolloutBucket('ENABLE_STRUCTURED_LOGGING', 'rev-42') <= 50,
    );
  });

  it('reports every bad flag value by name', () => {
    const result = loadFeatureFlags({
      ENABLE_QUERY_CACHING: 'yes',
      DUAL_WRITE_MODE: '101%',
      USE_SUBCOLLECTION_READS: '-5%',
      QUERY_CACHE_TTL_SECONDS: 'five',
      PHASE2_COMPLETION_TIMEOUT_MINUTES: '0',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.line)).toEqual([
      'PHASE2_COMPLETION_TIMEOUT_MINUTES=0: expected a number of minutes greater than 0, up to 35791 (decimals allowed, e.g. 0.05 = 3 s)',
      'DUAL_WRITE_MODE=101%: expected true, false, 1, 0 or a rollout percentage from 0% to 100% (e.g. 10%)',
      'USE_SUBCOLLECTION_READS=-5%: expected true, false, 1, 0 or a rollout percentage from 0% to 100% (e.g. 10%)',
      'ENABLE_QUERY_CACHING=yes: expected true, false, 1, 0 or a rollout percentage from 0% to 100% (e.g. 10%)',
      'QUERY_CACHE_TTL_SECONDS=five: expected a number of seconds greater than 0, up to 31536000 (one year)',
    ]);
  });

  it('accepts decimal numbers', () => {
    expect(
      flagsFrom({ PHASE2_COMPLETION_TIMEOUT_MINUTES: '0.05' }).number(
        'PHASE2_COMPLETION_TIMEOUT_MINUTES',
      ),
    ).toBe(0.05);
  });

  it('lists every flag for GET /v1/flags', () => {
    const flags = flagsFrom({
      ENABLE_QUERY_CACHING: '10%',
      ENABLE_IDEMPOTENCY_KEYS: 'false',
      DEDUP_TTL_DAYS: '3',
    });
    const listed = flags.list();
    expect(listed.map((flag) => flag.name)).toEqual(FLAG_NAMES);
    const byName = Object.fromEntries(listed.map((flag) => [flag.name, flag]));
    expect(byName.ENABLE_QUERY_CACHING).toEqual({
      name: 'ENABLE_QUERY_CACHING',
      kind: 'boolean',
      value: '10%',
      enabled: 'partial',
      rollout_percent: 10,
      unit: 'query_name',
      source: 'env',
      description: FEATURE_FLAG_DEFINITIONS.ENABLE_QUERY_CACHING.description,
    });
    expect(byName.ENABLE_IDEMPOTENCY_KEYS).toMatchObject({
      value: 'false',
      enabled: false,
      rollout_percent: 0,
      unit: 'subscription',
    });
    expect(byName.ENABLE_PARALLEL_CONFIG).toMatchObject({
      value: 'true',
      enabled: true,
      rollout_percent: 100,
      source: 'default',
    });
    expect(byName.DEDUP_TTL_DAYS).toMatchObject({
      kind: 'number',
      value: '3',
      enabled: null,
      rollout_percent: null,
      unit: null,
    });
    for (const flag of listed) expect(flag.description.length).toBeGreaterThan(20);
    expect(JSON.parse(JSON.stringify(flags))).toEqual(listed);
  });

  it('labels 0% as off and 100% as on', () => {
    const byName = Object.fromEntries(
      flagsFrom({ ENABLE_QUERY_CACHING: '0%', ENABLE_PARALLEL_CONFIG: '100%' })
        .list()
        .map((flag) => [flag.name, flag.enabled]),
    );
    expect(byName).toMatchObject({ ENABLE_QUERY_CACHING: false, ENABLE_PARALLEL_CONFIG: true });
  });

  it('rejects unknown names and the wrong kind with a clear error', () => {
    const flags = flagsFrom({});
    expect(() => flags.isEnabled('ENABLE_TELEPORT' as BooleanFlagName)).toThrow(
      /unknown feature flag "ENABLE_TELEPORT"/,
    );
    expect(() => flags.isEnabled('DEDUP_TTL_DAYS' as BooleanFlagName)).toThrow(
      /number flag.*flags.number/,
    );
    expect(() => flags.number('DUAL_WRITE_MODE' as 'DEDUP_TTL_DAYS')).toThrow(
      /boolean flag.*isEnabled/,
    );
  });
});
