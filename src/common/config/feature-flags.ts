import { z } from 'zod';
import { configIssue, type ConfigIssue, type ConfigResult } from './config-issue.js';
import { ConfigSource, type EnvRecord, type ValueSource } from './config-source.js';
import { positiveNumberText } from './env-schemas.js';
import {
  FEATURE_FLAG_DEFINITIONS,
  FLAG_NAMES,
  isFlagName,
  type BooleanFlagName,
  type FlagName,
  type FlagUnit,
  type NumberFlagName,
} from './feature-flag.definitions.js';
import { inRollout } from './rollout-bucket.js';
import { defaultInstanceId } from './service-identity.js';

interface BooleanFlagState {
  readonly kind: 'boolean';
  readonly raw: string;
  readonly source: ValueSource;
  /** 0..100; `true` is 100 and `false` is 0. */
  readonly percent: number;
  /** Whether it was given as `N%` (then every check needs a unit value). */
  readonly percentage: boolean;
}

interface NumberFlagState {
  readonly kind: 'number';
  readonly raw: string;
  readonly source: ValueSource;
  readonly value: number;
}

type FlagState = BooleanFlagState | NumberFlagState;

/** One row of `GET /v1/flags`. */
export interface FlagListing {
  readonly name: FlagName;
  readonly kind: 'boolean' | 'number';
  /** As configured (the default written out when not configured). */
  readonly value: string;
  /** Boolean flags: on for every unit, for none, or for some; null for number flags. */
  readonly enabled: boolean | 'partial' | null;
  /** Boolean flags: 0..100; null for number flags. */
  readonly rollout_percent: number | null;
  readonly unit: FlagUnit | null;
  readonly source: ValueSource;
  readonly description: string;
}

const BOOLEAN_WORD = z
  .string()
  .regex(/^(true|false|1|0)$/i)
  .transform((text) => ({ percent: /^(true|1)$/i.test(text) ? 100 : 0, percentage: false }));

const PERCENTAGE = z
  .string()
  .regex(/^\d+(\.\d+)?\s*%$/)
  .transform((text) => Number.parseFloat(text))
  .pipe(z.number().min(0).max(100))
  .transform((percent) => ({ percent, percentage: true }));

const BOOLEAN_FLAG_TEXT = z.union([BOOLEAN_WORD, PERCENTAGE]);
const BOOLEAN_FLAG_EXPECTED =
  'true, false, 1, 0 or a rollout percentage from 0% to 100% (e.g. 10%)';

/**
 * The feature flags of this process, read once at startup. Percentage rollouts are sticky per
 * unit value (see rolloutBucket); `instance` flags use this process's INSTANCE_ID as the unit.
 */
export class FeatureFlags {
  readonly #states: ReadonlyMap<FlagName, FlagState>;
  readonly #instanceId: string;

  constructor(states: ReadonlyMap<FlagName, FlagState>, instanceId: string) {
    this.#states = states;
    this.#instanceId = instanceId;
    Object.freeze(this);
  }

  /**
   * Whether a boolean flag is on for `unitValue` (a game date, batch id, ... per the flag's unit).
   * A flag configured as a percentage needs the unit value, except `instance` flags; without it
   * this throws rather than guess.
   */
  isEnabled(name: BooleanFlagName, unitValue?: string): boolean {
    const state = this.#boolean(name);
    if (!state.percentage) return state.percent >= 100;
    const unit = FEATURE_FLAG_DEFINITIONS[name].unit;
    const value = unitValue ?? (unit === 'instance' ? this.#instanceId : undefined);
    if (value === undefined || value === '') {
      throw new Error(
        `feature flag ${name} is rolled out to ${state.raw} of ${unit} values, so isEnabled('${name}', <${unit}>) ` +
          `needs the ${unit} to decide; pass it (or set the flag to true/false)`,
      );
    }
    return inRollout(name, value, state.percent);
  }

  /** 0..100: the share of unit values a boolean flag is on for. */
  rolloutPercent(name: BooleanFlagName): number {
    return this.#boolean(name).percent;
  }

  /** The value of a number flag. */
  number(name: NumberFlagName): number {
    const state = this.#state(name);
    if (state.kind !== 'number')
      throw new Error(
        `feature flag ${name} is a boolean flag; use flags.isEnabled('${name}', unit)`,
      );
    return state.value;
  }

  /** Where a flag's value came from. */
  source(name: FlagName): ValueSource {
    return this.#state(name).source;
  }

  /** Every flag, in definition order, for `GET /v1/flags`. */
  list(): FlagListing[] {
    return FLAG_NAMES.map((name) => {
      const state = this.#state(name);
      const definition = FEATURE_FLAG_DEFINITIONS[name];
      const common = {
        name,
        kind: state.kind,
        value: state.raw,
        source: state.source,
        description: definition.description,
      };
      if (state.kind === 'number')
        return { ...common, enabled: null, rollout_percent: null, unit: null };
      const unit = (definition as { unit: FlagUnit }).unit;
      return {
        ...common,
        enabled: enabledLabel(state.percent),
        rollout_percent: state.percent,
        unit,
      };
    });
  }

  toJSON(): FlagListing[] {
    return this.list();
  }

  #state(name: string): FlagState {
    const state = isFlagName(name) ? this.#states.get(name) : undefined;
    if (!state)
      throw new Error(`unknown feature flag "${name}"; known flags: ${FLAG_NAMES.join(', ')}`);
    return state;
  }

  #boolean(name: string): BooleanFlagState {
    const state = this.#state(name);
    if (state.kind !== 'boolean')
      throw new Error(`feature flag ${name} is a number flag; use flags.number('${name}')`);
    return state;
  }
}

/** Effective on/off: buckets run 1..100, so under 1% reaches no unit and 100% reaches all. */
function enabledLabel(percent: number): boolean | 'partial' {
  if (percent >= 100) return true;
  if (percent < 1) return false;
  return 'partial';
}

export interface LoadFeatureFlagsOptions {
  /** Unit value of `instance` flags; defaults to INSTANCE_ID, else <hostname>-<pid>. */
  instanceId?: string;
}

/** Reads and validates every flag; all bad flags are reported together. */
export function loadFeatureFlags(
  input: EnvRecord | ConfigSource,
  options: LoadFeatureFlagsOptions = {},
): ConfigResult<FeatureFlags> {
  const source = ConfigSource.from(input);
  const states = new Map<FlagName, FlagState>();
  const issues: ConfigIssue[] = [];
  for (const name of FLAG_NAMES) {
    const definition = FEATURE_FLAG_DEFINITIONS[name];
    const given = source.get(name);
    if (!given) {
      states.set(name, defaultState(name));
      continue;
    }
    if (definition.kind === 'boolean') {
      const parsed = BOOLEAN_FLAG_TEXT.safeParse(given.text);
      if (parsed.success)
        states.set(name, {
          kind: 'boolean',
          raw: given.text,
          source: given.source,
          ...parsed.data,
        });
      else issues.push(configIssue(name, given.raw, BOOLEAN_FLAG_EXPECTED));
    } else {
      const parsed = positiveNumberText(definition.max).safeParse(given.text);
      if (parsed.success)
        states.set(name, {
          kind: 'number',
          raw: given.text,
          source: given.source,
          value: parsed.data,
        });
      else issues.push(configIssue(name, given.raw, definition.expected));
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const instanceId = options.instanceId ?? source.get('INSTANCE_ID')?.text ?? defaultInstanceId();
  return { ok: true, value: new FeatureFlags(states, instanceId) };
}

function defaultState(name: FlagName): FlagState {
  const definition = FEATURE_FLAG_DEFINITIONS[name];
  const raw = String(definition.defaultValue);
  if (definition.kind === 'number')
    return { kind: 'number', raw, source: 'default', value: definition.defaultValue };
  return {
    kind: 'boolean',
    raw,
    source: 'default',
    percent: definition.defaultValue ? 100 : 0,
    percentage: false,
  };
}
