/**
 * Every feature flag of the service. A flag's name is also its environment variable.
 * Boolean flags take `true`, `false`, `1`, `0` or a rollout percentage such as `10%`; a
 * percentage turns the flag on for a sticky subset of the flag's `unit` values.
 */

/** What a percentage rollout is sticky per. `instance` uses INSTANCE_ID automatically. */
export type FlagUnit =
  'game_date' | 'batch_id' | 'query_name' | 'subscription' | 'workflow_name' | 'instance';

export interface BooleanFlagDefinition {
  readonly kind: 'boolean';
  readonly unit: FlagUnit;
  /** Value on a fresh install. */
  readonly defaultValue: boolean;
  readonly description: string;
}

export interface NumberFlagDefinition {
  readonly kind: 'number';
  readonly defaultValue: number;
  /** Largest accepted value (values must also be greater than 0). */
  readonly max: number;
  /** Finishes `expected ...` in error lines. */
  readonly expected: string;
  readonly description: string;
}

export type FlagDefinition = BooleanFlagDefinition | NumberFlagDefinition;

export const FEATURE_FLAG_DEFINITIONS = {
  ENABLE_PHASE2_COMPLETION_DEADLINE: {
    kind: 'boolean',
    unit: 'game_date',
    defaultValue: true,
    description:
      "Close a game date's phase 2 when it is not complete within PHASE2_COMPLETION_TIMEOUT_MINUTES instead of waiting for ever.",
  },
  PHASE2_COMPLETION_TIMEOUT_MINUTES: {
    kind: 'number',
    defaultValue: 30,
    // The longest Node timer (2^31 - 1 ms = MAX_TIMEOUT_MS), in whole minutes.
    max: 35_791,
    expected: 'a number of minutes greater than 0, up to 35791 (decimals allowed, e.g. 0.05 = 3 s)',
    description:
      'Minutes a game date may spend in phase 2 before its completion deadline; when set, it overrides TIMEOUT_PHASE2_COMPLETION_DEADLINE_MS.',
  },
  ENABLE_SUBCOLLECTION_COMPLETIONS: {
    kind: 'boolean',
    unit: 'batch_id',
    defaultValue: true,
    description:
      "Legacy mirror (FIRESTORE_LEGACY_MIRROR), decided once per batch when it is created: write each player's completion as prediction_batches/{batch_id}/completions/{player_lookup} with completed_count and total_predictions_subcoll on the batch document; when off, the batch gets the legacy completed_players / predictions_by_player fields only.",
  },
  DUAL_WRITE_MODE: {
    kind: 'boolean',
    unit: 'batch_id',
    defaultValue: false,
    description:
      'Legacy mirror, decided once per batch when it is created, with ENABLE_SUBCOLLECTION_COMPLETIONS on: also write the legacy completed_players / failed_players / predictions_by_player fields, in the same Firestore commit as the subcollection; stopped for a batch (alert, subcollection kept) before its document would pass 1 MiB. A migration aid: off unless a migration needs it.',
  },
  USE_SUBCOLLECTION_READS: {
    kind: 'boolean',
    unit: 'batch_id',
    defaultValue: true,
    description:
      "Which completion layout the legacy mirror's consistency check reads back for a batch (the one the platform's readers use): the completions subcollection when on, the legacy fields when off; a dual-written batch is checked in both.",
  },
  ENABLE_QUERY_CACHING: {
    kind: 'boolean',
    unit: 'query_name',
    defaultValue: true,
    description:
      'Reuse analytics query answers until new rows land in the partitions they cover (rollout unit: the query name).',
  },
  QUERY_CACHE_TTL_SECONDS: {
    kind: 'number',
    defaultValue: 86_400,
    max: 31_536_000,
    expected: 'a number of seconds greater than 0, up to 31536000 (one year)',
    description:
      'Upper bound on the age of any cached analytics answer; below it, TIMEOUT_QUERY_CACHE_DECISIONS_MS (24 h) and TIMEOUT_QUERY_CACHE_EXECUTIONS_MS (1 h) hold.',
  },
  ENABLE_IDEMPOTENCY_KEYS: {
    kind: 'boolean',
    unit: 'subscription',
    defaultValue: true,
    description: 'Drop redelivered Pub/Sub messages by idempotency key, per subscription.',
  },
  DEDUP_TTL_DAYS: {
    kind: 'number',
    defaultValue: 7,
    max: 3650,
    expected: 'a number of days greater than 0, up to 3650 (decimals allowed)',
    description: 'Days an idempotency key is remembered for deduplication.',
  },
  ENABLE_PARALLEL_CONFIG: {
    kind: 'boolean',
    unit: 'workflow_name',
    defaultValue: true,
    description:
      "Run a workflow's independent steps in parallel, as its configuration says, instead of one by one.",
  },
  ENABLE_CENTRALIZED_TIMEOUTS: {
    kind: 'boolean',
    unit: 'instance',
    defaultValue: true,
    description:
      'Honour TIMEOUT_* overrides on this instance; when off, the built-in production timeouts hold.',
  },
  ENABLE_STRUCTURED_LOGGING: {
    kind: 'boolean',
    unit: 'instance',
    defaultValue: true,
    description:
      'Write JSON logs with Cloud Logging fields and trace ids on this instance instead of plain text.',
  },
} as const satisfies Record<string, FlagDefinition>;

type Definitions = typeof FEATURE_FLAG_DEFINITIONS;
export type FlagName = keyof Definitions;
export type BooleanFlagName = {
  [K in FlagName]: Definitions[K]['kind'] extends 'boolean' ? K : never;
}[FlagName];
export type NumberFlagName = {
  [K in FlagName]: Definitions[K]['kind'] extends 'number' ? K : never;
}[FlagName];

export const FLAG_NAMES = Object.keys(FEATURE_FLAG_DEFINITIONS) as FlagName[];

export function isFlagName(name: string): name is FlagName {
  return Object.hasOwn(FEATURE_FLAG_DEFINITIONS, name);
}
