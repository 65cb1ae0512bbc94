export interface HealthOptions {
  /** Longest a dependency check may take before it counts as down. */
  checkTimeoutMs: number;
  /** How long a check's result is reused. */
  cacheMs: number;
  /** Readiness fails when a projection lags further behind the head than this. */
  maxProjectionLagEvents: number;
  /** GET /health is `degraded` (and a warning logged) while a store transaction is open longer than this. */
  longTransactionWarnMs: number;
  version: string;
  /** How push routes authenticate (PUSH_AUTH), and whether that was set or defaulted. */
  pushAuth: { mode: 'oidc' | 'none'; source: 'set' | 'default' };
  /** A pulled subscription whose stream is not open fails readiness (SHOTCLOCK_MODE=worker). */
  pullFailsReadiness: boolean;
}

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
