import { configIssue, MASK, type ConfigIssue } from './config-issue.js';
import { ConfigSource, type EnvRecord } from './config-source.js';
import { ConfigValidationError } from './config-validation.error.js';
import { closestName } from './closest-name.js';
import { ENV_FILE_VARIABLE, readEnvFile, type EnvFile } from './env-file.js';
import { readEnvVars, type EnvVar } from './env-var.js';
import { FLAG_NAMES } from './feature-flag.definitions.js';
import { loadFeatureFlags, type FeatureFlags } from './feature-flags.js';
import { ALERTS_VARS, type AlertsConfig } from './namespaces/alerts.config.js';
import { ANALYTICS_VARS, type AnalyticsConfig } from './namespaces/analytics.config.js';
import {
  PUBSUB_PUBLISHER_VARS,
  resolvePubSubPublisher,
  type PubSubPublisherConfig,
} from './namespaces/pubsub-publisher.config.js';
import {
  PUBSUB_PULL_VARS,
  pubSubPullIssues,
  type PubSubPullConfig,
} from './namespaces/pubsub-pull.config.js';
import { FIRESTORE_VARS, type FirestoreConfig } from './namespaces/firestore.config.js';
import { HEALTH_VARS, type HealthConfig } from './namespaces/health.config.js';
import { INGESTION_VARS, type IngestionConfig } from './namespaces/ingestion.config.js';
import {
  LEGACY_MIRROR_VARS,
  legacyMirrorIssues,
  type LegacyMirrorConfig,
} from './namespaces/legacy-mirror.config.js';
import { LOGGING_VARS, type LoggingConfig } from './namespaces/logging.config.js';
import { ORCHESTRATION_VARS, type OrchestrationConfig } from './namespaces/orchestration.config.js';
import {
  PUSH_AUTH_VARS,
  resolvePushAuth,
  type PushAuthConfig,
} from './namespaces/push-auth.config.js';
import { SERVER_VARS, type ServerConfig } from './namespaces/server.config.js';
import { firestoreStoreIssues, STORE_VARS, type StoreConfig } from './namespaces/store.config.js';
import { WORKFLOWS_VARS, type WorkflowsConfig } from './namespaces/workflows.config.js';
import {
  loadTimeoutConfig,
  TIMEOUT_NAMES,
  timeoutEnvName,
  type TimeoutConfig,
} from './timeout.config.js';

/** The whole configuration of the service, validated and frozen. */
export interface AppConfig {
  readonly server: ServerConfig;
  readonly store: StoreConfig;
  readonly logging: LoggingConfig;
  readonly health: HealthConfig;
  readonly ingestion: IngestionConfig;
  readonly pushAuth: PushAuthConfig;
  readonly orchestration: OrchestrationConfig;
  readonly alerts: AlertsConfig;
  readonly workflows: WorkflowsConfig;
  readonly analytics: AnalyticsConfig;
  readonly pubsubPublisher: PubSubPublisherConfig;
  readonly pubsubPull: PubSubPullConfig;
  readonly firestore: FirestoreConfig;
  readonly legacyMirror: LegacyMirrorConfig;
  readonly flags: FeatureFlags;
  readonly timeouts: TimeoutConfig;
}

/** The variables of the plain namespaces, for docs and the env file's known names. */
export const NAMESPACE_VARS: readonly EnvVar<unknown>[] = [
  SERVER_VARS,
  STORE_VARS,
  LOGGING_VARS,
  HEALTH_VARS,
  INGESTION_VARS,
  PUSH_AUTH_VARS,
  ORCHESTRATION_VARS,
  ALERTS_VARS,
  WORKFLOWS_VARS,
  ANALYTICS_VARS,
  PUBSUB_PUBLISHER_VARS,
  PUBSUB_PULL_VARS,
  FIRESTORE_VARS,
  LEGACY_MIRROR_VARS,
].flatMap((vars) => Object.values(vars) as EnvVar<unknown>[]);

/** Every variable name Shotclock reads (besides SHOTCLOCK_ENV_FILE itself). */
export function knownVariableNames(): ReadonlySet<string> {
  return new Set([
    ...NAMESPACE_VARS.map((variable) => variable.name),
    ...FLAG_NAMES,
    ...TIMEOUT_NAMES.map(timeoutEnvName),
  ]);
}

/**
 * The single source of truth for configuration. Reads `env` (normally process.env) over the
 * file named by SHOTCLOCK_ENV_FILE, if any, and returns the frozen AppConfig, or throws a
 * ConfigValidationError listing every bad variable, one line each. Unknown environment
 * variables are ignored; an unknown key inside the env file is an error (it is likely a typo).
 */
export function loadConfig(env: EnvRecord): AppConfig {
  const issues: ConfigIssue[] = [];
  const filePath = env[ENV_FILE_VARIABLE]?.trim();
  let fileValues = new Map<string, string>();
  if (filePath) {
    const { file, issues: fileIssues } = readEnvFile(filePath);
    issues.push(...fileIssues, ...unknownKeyIssues(file));
    fileValues = new Map([...file.entries].map(([key, entry]) => [key, entry.value]));
  }
  const source = new ConfigSource(env, fileValues);

  const server = readEnvVars(source, SERVER_VARS);
  const store = readEnvVars(source, STORE_VARS);
  const logging = readEnvVars(source, LOGGING_VARS);
  const health = readEnvVars(source, HEALTH_VARS);
  const ingestion = readEnvVars(source, INGESTION_VARS);
  const pushAuthVars = readEnvVars(source, PUSH_AUTH_VARS);
  const pushAuth = resolvePushAuth(pushAuthVars.values, server.values.nodeEnv);
  const orchestration = readEnvVars(source, ORCHESTRATION_VARS);
  const alerts = readEnvVars(source, ALERTS_VARS);
  const workflows = readEnvVars(source, WORKFLOWS_VARS);
  const analytics = readEnvVars(source, ANALYTICS_VARS);
  const pubsubPublisherVars = readEnvVars(source, PUBSUB_PUBLISHER_VARS);
  const pubsubPublisher = resolvePubSubPublisher(pubsubPublisherVars.values);
  const pubsubPull = readEnvVars(source, PUBSUB_PULL_VARS);
  const firestore = readEnvVars(source, FIRESTORE_VARS);
  const legacyMirror = readEnvVars(source, LEGACY_MIRROR_VARS);
  issues.push(
    ...server.issues,
    ...store.issues,
    ...logging.issues,
    ...health.issues,
    ...ingestion.issues,
    ...pushAuthVars.issues,
    // A bad PUSH_AUTH_* value is reported once, not again as "missing".
    ...(pushAuthVars.issues.length === 0 ? pushAuth.issues : []),
    ...orchestration.issues,
    ...alerts.issues,
    ...workflows.issues,
    ...analytics.issues,
    ...pubsubPublisherVars.issues,
    ...(pubsubPublisherVars.issues.length === 0 ? pubsubPublisher.issues : []),
    ...pubsubPull.issues,
    ...(pubsubPull.issues.length === 0 ? pubSubPullIssues(pubsubPull.values) : []),
    ...firestore.issues,
    ...legacyMirror.issues,
    ...(store.issues.length === 0 &&
    server.issues.length === 0 &&
    pubsubPublisherVars.issues.length === 0
      ? firestoreStoreIssues(
          store.values,
          server.values.bodyLimitBytes,
          pubsubPublisherVars.values.googleCloudProject,
        )
      : []),
    ...(legacyMirror.issues.length === 0 && pubsubPublisherVars.issues.length === 0
      ? legacyMirrorIssues(legacyMirror.values, pubsubPublisherVars.values.googleCloudProject)
      : []),
  );

  const flags = loadFeatureFlags(source, { instanceId: server.values.instanceId });
  if (!flags.ok) issues.push(...flags.issues);
  const timeouts = loadTimeoutConfig(source, flags.ok ? flags.value : undefined);
  if (!timeouts.ok) issues.push(...timeouts.issues);

  if (issues.length > 0 || !flags.ok || !timeouts.ok) throw new ConfigValidationError(issues);
  return deepFreeze({
    server: server.values,
    store: store.values,
    logging: logging.values,
    health: health.values,
    ingestion: ingestion.values,
    pushAuth: pushAuth.value,
    orchestration: orchestration.values,
    alerts: alerts.values,
    workflows: workflows.values,
    analytics: analytics.values,
    pubsubPublisher: pubsubPublisher.value,
    pubsubPull: pubsubPull.values,
    firestore: firestore.values,
    legacyMirror: legacyMirror.values,
    flags: flags.value,
    timeouts: timeouts.value,
  });
}

function unknownKeyIssues(file: EnvFile): ConfigIssue[] {
  const known = knownVariableNames();
  const issues: ConfigIssue[] = [];
  for (const [key, entry] of file.entries) {
    if (known.has(key)) continue;
    const guess = closestName(key, known);
    const hint = guess ? `; did you mean ${guess}?` : '';
    // The value is masked: an unknown name may be a misspelt secret.
    issues.push(
      configIssue(
        key,
        MASK,
        `a known variable name (line ${entry.lineNumber} of ${file.path}${hint})`,
      ),
    );
  }
  return issues;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object' && !Object.isFrozen(inner))
      deepFreeze(inner as object);
  }
  return Object.freeze(value);
}
