export interface HealthOptions {
  /** Longest a dependency check may take before it counts as down. */
  checkTimeoutMs: number;
  /** How long a check's result is reused. */
  cacheMs: number;
  /** Readiness fails when a projection lags further behind the head than this. */
  maxProjectionLagEvents: number;
  version: string;
}

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
