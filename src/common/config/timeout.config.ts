import { configIssue, type ConfigIssue, type ConfigResult } from './config-issue.js';
import { ConfigSource, type EnvRecord } from './config-source.js';
import { positiveNumberText } from './env-schemas.js';
import { loadFeatureFlags, type FeatureFlags } from './feature-flags.js';

/**
 * Every timeout, deadline, poll interval and backoff of the service, in one place. No other
 * file may hold a timeout literal (the lint rule eslint-rules/no-timeout-literals.js enforces it).
 *
 * Each property can be overridden by `TIMEOUT_<UPPER_SNAKE_OF_NAME>` (httpRequestMs <-
 * TIMEOUT_HTTP_REQUEST_MS), a number of milliseconds > 0 and <= 2147483647 (the longest a Node
 * timer can wait). Overrides apply only while the flag ENABLE_CENTRALIZED_TIMEOUTS is on for this
 * instance; when it is off they are still validated but ignored, and PRODUCTION_TIMEOUTS_MS hold.
 * phase2CompletionDeadlineMs comes from the flag PHASE2_COMPLETION_TIMEOUT_MINUTES when that is
 * set (whatever ENABLE_CENTRALIZED_TIMEOUTS says), else from its TIMEOUT_ override, else 30 min.
 */
export class TimeoutConfig {
  // --- outbound calls
  /** Any outbound HTTP request without a more specific timeout. */
  readonly httpRequestMs!: number;
  /** One HTTP call made by a scraper. */
  readonly scraperHttpMs!: number;
  /** Wait for a whole scraper task; longer than scraperHttpMs so the HTTP timeout fires first. */
  readonly scraperFutureMs!: number;
  /** One dependency probe of the health check. */
  readonly healthCheckMs!: number;
  /** Posting one Slack webhook notification. */
  readonly slackWebhookMs!: number;
  /** An ordinary BigQuery query. */
  readonly bigqueryQueryMs!: number;
  /** A BigQuery query known to scan a lot (backfills, season-wide aggregates). */
  readonly bigqueryLargeQueryMs!: number;
  /** The longest a pending analytics export batch waits before it is loaded (BigQuery: 288 load jobs a day at 5 min). */
  readonly analyticsExportIntervalMs!: number;
  /** A BigQuery load job. */
  readonly bigqueryLoadMs!: number;
  /** Longest an application-cached answer of a query reading only decisions is reused (new rows in its partitions drop it sooner; QUERY_CACHE_TTL_SECONDS caps it). */
  readonly queryCacheDecisionsMs!: number;
  /** Same for a query reading executions. */
  readonly queryCacheExecutionsMs!: number;
  /** How long the BigQuery game schedule's answer for a date is reused when config/workflows.yaml has no settings.schedule_refresh_interval_hours. */
  readonly gameScheduleRefreshMs!: number;
  /** A RUN decision without an execution is RECENT until this age, then DELAYED (missing_executions). */
  readonly missingExecutionRecentMs!: number;
  /** ... DELAYED until this age, then MISSED. */
  readonly missingExecutionDelayedMs!: number;
  /** One Firestore document read or write. */
  readonly firestoreReadWriteMs!: number;
  /** One Firestore transaction, retries included. */
  readonly firestoreTransactionMs!: number;
  /** Publishing one Pub/Sub message (the outbox gives up the attempt and retries after it). */
  readonly pubsubPublishMs!: number;
  /** Longest a Pub/Sub publish batch waits for more messages before it is sent (PUBSUB_BATCH_MAX_MESSAGES fills it sooner). */
  readonly pubsubBatchMaxDelayMs!: number;
  /** At boot, the check that every outbox topic exists (OUTBOX_PUBLISHER=pubsub); past it the boot goes on and the topics show as unchecked. */
  readonly pubsubTopicCheckMs!: number;
  /** On shutdown, how long pending Pub/Sub publish batches may take to flush before the client closes anyway. */
  readonly pubsubShutdownFlushMs!: number;
  /** Pub/Sub pull: the ack deadline asked for, and extended by, while a pulled message is handled; a crashed process's messages come back after at most this (Pub/Sub accepts 10 s to 600 s). */
  readonly pubsubPullAckDeadlineMs!: number;
  /** Pub/Sub pull: longest a pulled message's deadline is extended while it is handled; past it Pub/Sub redelivers it. */
  readonly pubsubPullMaxExtensionMs!: number;
  /** Pub/Sub pull: reading a subscription's settings before its stream opens (one try; failures are retried with the retry backoff). */
  readonly pubsubPullConnectMs!: number;
  /** Pub/Sub pull, on shutdown (from the signal): how long pulled messages in flight may take before the rest are nacked and the stream closes. */
  readonly pubsubPullCloseMs!: number;
  /** One Cloud Workflows execution, start to finish. */
  readonly workflowExecutionMs!: number;

  // --- orchestration
  /** How long a game date may stay in phase 2 before its completion deadline fires. */
  readonly phase2CompletionDeadlineMs!: number;
  /** A run with no progress for this long is reported as stalled. */
  readonly stallDetectionMs!: number;
  /** A circuit breaker counts failures over this sliding window (5 failures in it open the breaker). */
  readonly circuitBreakerWindowMs!: number;
  /** How long an open circuit breaker waits before letting a trial call through. */
  readonly circuitBreakerResetMs!: number;
  /** First retry delay; each later attempt doubles it (see backoffMs). */
  readonly retryBackoffBaseMs!: number;
  /** Longest retry delay. */
  readonly retryBackoffMaxMs!: number;

  // --- internal
  /** How long a statement waits for another connection's lock (SQLite busy timeout, PostgreSQL lock_timeout and connect/pool wait). */
  readonly storeBusyMs!: number;
  /** SQLite: longest one try for another connection's write lock blocks the event loop (its busy_timeout); tries repeat until storeBusyMs has passed. */
  readonly storeBusySliceMs!: number;
  /** SQLite: pause between two tries for the write lock, during which the event loop runs (requests, liveness, lease renewals). */
  readonly storeBusyRetryMs!: number;
  /** Retry-After advertised with a 503 when the store is busy or unreachable (rounded up to seconds). */
  readonly storeRetryAfterMs!: number;
  /** PostgreSQL statement_timeout of every store connection (EVENT_STORE=postgres). */
  readonly storeStatementMs!: number;
  /**
   * PostgreSQL: a transaction anywhere in the cluster open longer than this (it holds new events
   * back from readers) is logged as a warning and makes GET /health `degraded`.
   */
  readonly storeLongTransactionWarnMs!: number;
  /** Fallback poll of projections for appends made by other processes (same-process appends wake them at once). */
  readonly projectionIdlePollMs!: number;
  /**
   * How often a projection, reaction or outbox topic persists a position that moved only past
   * events it does not handle (kept in memory in between, so unrelated appends cost it no write).
   */
  readonly followerSkipCheckpointMs!: number;
  /**
   * How long one wait for a read model to apply the log lasts: POST /v1/batches then answers from
   * its own copy, workflow evaluation answers 503, workflow crash recovery waits again.
   */
  readonly readYourWritesMs!: number;
  /** Longest the timer scheduler sleeps before re-checking: a timer scheduled by another instance fires at most this late. */
  readonly timerMaxSleepMs!: number;
  /** How often a holder renews its leases and every instance tries to take lapsed ones (less than leaseTtlMs). */
  readonly leaseRenewMs!: number;
  /** How long a lease on a singleton job (projection, timers, dispatcher, export) lasts without renewal: the longest failover after its holder dies or stalls. */
  readonly leaseTtlMs!: number;
  /** Fallback poll of the outbox for messages written by other processes. */
  readonly outboxIdlePollMs!: number;
  /** How often expired deduplication (idempotency) keys are purged. */
  readonly dedupPurgeIntervalMs!: number;
  /** On shutdown, how long readiness answers 503 before the server stops accepting; drain + grace = 9 s, inside Cloud Run's 10 s. */
  readonly shutdownDrainMs!: number;
  /** On shutdown, after the drain, how long in-flight work may take before the process exits anyway. */
  readonly shutdownGraceMs!: number;
  /** How long a health check result is reused, so probes cannot hammer dependencies. */
  readonly healthCacheMs!: number;

  constructor(values: TimeoutValues) {
    for (const name of TIMEOUT_NAMES) {
      const value = values[name];
      if (!(Number.isFinite(value) && value > 0 && value <= MAX_TIMEOUT_MS)) {
        throw new Error(
          `timeout ${name} must be a number of milliseconds in (0, ${MAX_TIMEOUT_MS}], got ${value}`,
        );
      }
    }
    Object.assign(this, values);
    Object.freeze(this);
  }
}

export type TimeoutName = {
  [K in keyof TimeoutConfig]: TimeoutConfig[K] extends number ? K : never;
}[keyof TimeoutConfig];

export type TimeoutValues = Readonly<Record<TimeoutName, number>>;

/** The longest delay a Node timer can wait (2^31 - 1 ms); a larger one fires at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** The production values; what holds with no overrides, or with ENABLE_CENTRALIZED_TIMEOUTS off. */
export const PRODUCTION_TIMEOUTS_MS: TimeoutValues = Object.freeze({
  httpRequestMs: 30_000,
  scraperHttpMs: 180_000,
  scraperFutureMs: 190_000,
  healthCheckMs: 10_000,
  slackWebhookMs: 10_000,
  bigqueryQueryMs: 60_000,
  bigqueryLargeQueryMs: 300_000,
  analyticsExportIntervalMs: 300_000,
  bigqueryLoadMs: 60_000,
  queryCacheDecisionsMs: 86_400_000,
  queryCacheExecutionsMs: 3_600_000,
  gameScheduleRefreshMs: 21_600_000,
  missingExecutionRecentMs: 600_000,
  missingExecutionDelayedMs: 1_800_000,
  firestoreReadWriteMs: 10_000,
  firestoreTransactionMs: 30_000,
  pubsubPublishMs: 60_000,
  pubsubBatchMaxDelayMs: 10,
  pubsubTopicCheckMs: 10_000,
  pubsubShutdownFlushMs: 2_000,
  pubsubPullAckDeadlineMs: 30_000,
  pubsubPullMaxExtensionMs: 600_000,
  pubsubPullConnectMs: 10_000,
  pubsubPullCloseMs: 5_000,
  workflowExecutionMs: 600_000,
  phase2CompletionDeadlineMs: 1_800_000,
  stallDetectionMs: 600_000,
  circuitBreakerWindowMs: 60_000,
  circuitBreakerResetMs: 300_000,
  retryBackoffBaseMs: 1_000,
  retryBackoffMaxMs: 30_000,
  storeBusyMs: 5_000,
  storeBusySliceMs: 5,
  storeBusyRetryMs: 20,
  storeRetryAfterMs: 1_000,
  storeStatementMs: 30_000,
  storeLongTransactionWarnMs: 60_000,
  projectionIdlePollMs: 1_000,
  followerSkipCheckpointMs: 5_000,
  readYourWritesMs: 10_000,
  timerMaxSleepMs: 5_000,
  leaseRenewMs: 5_000,
  leaseTtlMs: 15_000,
  outboxIdlePollMs: 1_000,
  dedupPurgeIntervalMs: 3_600_000,
  shutdownDrainMs: 3_000,
  shutdownGraceMs: 6_000,
  healthCacheMs: 1_000,
});

export const TIMEOUT_NAMES = Object.keys(PRODUCTION_TIMEOUTS_MS) as TimeoutName[];

/** A minute in milliseconds (PHASE2_COMPLETION_TIMEOUT_MINUTES is in minutes). */
export const MS_PER_MINUTE = 60_000;

/** `httpRequestMs` -> `TIMEOUT_HTTP_REQUEST_MS`, `phase2CompletionDeadlineMs` -> `TIMEOUT_PHASE2_COMPLETION_DEADLINE_MS`. */
export function timeoutEnvName(name: TimeoutName): string {
  return `TIMEOUT_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

const TIMEOUT_TEXT = positiveNumberText(MAX_TIMEOUT_MS);
const TIMEOUT_EXPECTED = `a number of milliseconds greater than 0, up to ${MAX_TIMEOUT_MS}`;

/**
 * Builds the TimeoutConfig from the environment (and env file) and the feature flags; when
 * `flags` is omitted they are read from the same input. Reports every bad variable at once.
 */
export function loadTimeoutConfig(
  input: EnvRecord | ConfigSource,
  flags?: FeatureFlags,
): ConfigResult<TimeoutConfig> {
  const source = ConfigSource.from(input);
  const loadedFlags = flags ? ({ ok: true, value: flags } as const) : loadFeatureFlags(source);
  const issues: ConfigIssue[] = loadedFlags.ok ? [] : [...loadedFlags.issues];
  const centralized = loadedFlags.ok
    ? loadedFlags.value.isEnabled('ENABLE_CENTRALIZED_TIMEOUTS')
    : true;

  const values: Record<TimeoutName, number> = { ...PRODUCTION_TIMEOUTS_MS };
  const overridden = new Set<TimeoutName>();
  for (const name of TIMEOUT_NAMES) {
    const variable = timeoutEnvName(name);
    const given = source.get(variable);
    if (!given) continue;
    const parsed = TIMEOUT_TEXT.safeParse(given.text);
    if (!parsed.success) issues.push(configIssue(variable, given.raw, TIMEOUT_EXPECTED));
    else if (centralized) {
      values[name] = parsed.data;
      overridden.add(name);
    }
  }

  if (!loadedFlags.ok) return { ok: false, issues };
  if (loadedFlags.value.source('PHASE2_COMPLETION_TIMEOUT_MINUTES') !== 'default') {
    const minutes = loadedFlags.value.number('PHASE2_COMPLETION_TIMEOUT_MINUTES');
    values.phase2CompletionDeadlineMs = Math.max(1, Math.round(minutes * MS_PER_MINUTE));
    overridden.delete('phase2CompletionDeadlineMs');
  }

  issues.push(...relationIssues(values, overridden));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: new TimeoutConfig(values) };
}

/** Pairs that must keep their order; reported on the overridden side. */
function relationIssues(
  values: TimeoutValues,
  overridden: ReadonlySet<TimeoutName>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (smaller: TimeoutName, larger: TimeoutName, allowEqual: boolean, why: string) => {
    const ok = allowEqual ? values[smaller] <= values[larger] : values[smaller] < values[larger];
    if (ok) return;
    const blamed = overridden.has(smaller) ? smaller : larger;
    const other = blamed === smaller ? larger : smaller;
    const relation =
      blamed === smaller
        ? allowEqual
          ? 'at most'
          : 'less than'
        : allowEqual
          ? 'at least'
          : 'more than';
    issues.push(
      configIssue(
        timeoutEnvName(blamed),
        String(values[blamed]),
        `${relation} ${timeoutEnvName(other)} (${values[other]} ms) ${why}`,
      ),
    );
  };
  check(
    'retryBackoffBaseMs',
    'retryBackoffMaxMs',
    true,
    'so the first retry delay does not exceed the cap',
  );
  check(
    'scraperHttpMs',
    'scraperFutureMs',
    false,
    "so a scraper's HTTP call times out before the wait for it does",
  );
  check('leaseRenewMs', 'leaseTtlMs', false, 'so a holder renews its leases before they lapse');
  check(
    'missingExecutionRecentMs',
    'missingExecutionDelayedMs',
    false,
    'so a missing execution is RECENT before it is DELAYED',
  );
  check(
    'pubsubPullCloseMs',
    'shutdownGraceMs',
    true,
    'so pulled messages in flight settle before the shutdown grace runs out',
  );
  check(
    'pubsubPullAckDeadlineMs',
    'pubsubPullMaxExtensionMs',
    true,
    "so a pulled message's deadline can be extended at least once",
  );
  const ackDeadline = values.pubsubPullAckDeadlineMs;
  if (ackDeadline < PUBSUB_ACK_DEADLINE_MS.min || ackDeadline > PUBSUB_ACK_DEADLINE_MS.max) {
    issues.push(
      configIssue(
        timeoutEnvName('pubsubPullAckDeadlineMs'),
        String(ackDeadline),
        `from ${PUBSUB_ACK_DEADLINE_MS.min} to ${PUBSUB_ACK_DEADLINE_MS.max} (the ack deadlines Pub/Sub accepts)`,
      ),
    );
  }
  return issues;
}

/** The ack deadlines Pub/Sub accepts. */
const PUBSUB_ACK_DEADLINE_MS = { min: 10_000, max: 600_000 } as const;
