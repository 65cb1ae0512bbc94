export { loadConfig, knownVariableNames, NAMESPACE_VARS, type AppConfig } from './app-config.js';
export {
  APP_CONFIG,
  AppConfigModule,
  SINGLETON_JOBS_ENABLED,
  type ProcessOptions,
} from './config.module.js';
export { ConfigValidationError } from './config-validation.error.js';
export type { ConfigIssue, ConfigResult } from './config-issue.js';
export { ConfigSource, type EnvRecord, type ValueSource } from './config-source.js';
export { ENV_FILE_VARIABLE } from './env-file.js';
export { Secret } from './secret.js';
export {
  FEATURE_FLAG_DEFINITIONS,
  FLAG_NAMES,
  type BooleanFlagName,
  type FlagName,
  type FlagUnit,
  type NumberFlagName,
} from './feature-flag.definitions.js';
export { FeatureFlags, loadFeatureFlags, type FlagListing } from './feature-flags.js';
export { rolloutBucket, inRollout } from './rollout-bucket.js';
export {
  TimeoutConfig,
  loadTimeoutConfig,
  timeoutEnvName,
  PRODUCTION_TIMEOUTS_MS,
  TIMEOUT_NAMES,
  MAX_TIMEOUT_MS,
  type TimeoutName,
  type TimeoutValues,
} from './timeout.config.js';
export { backoffMs, type BackoffOptions } from './backoff.js';
export type { ServerConfig } from './namespaces/server.config.js';
export type { StoreConfig, EventStoreKind } from './namespaces/store.config.js';
export type { LoggingConfig, LogLevel } from './namespaces/logging.config.js';
export type { HealthConfig } from './namespaces/health.config.js';
export type { IngestionConfig } from './namespaces/ingestion.config.js';
