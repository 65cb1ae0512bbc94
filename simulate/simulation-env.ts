import { join } from 'node:path';

/** A straggler-free stretch this long completes a batch at >= 95% (TIMEOUT_STALL_DETECTION_MS). */
export const STALL_MS = 3_000;

/**
 * The service configuration of a simulated day: production code paths, compressed timings.
 * Everything here is an ordinary setting an operator could use.
 */
export function simulationEnv(dir: string): Record<string, string> {
  return {
    SQLITE_PATH: join(dir, 'shotclock.sqlite'),
    LOG_LEVEL: 'warn',
    TIMEOUT_STALL_DETECTION_MS: String(STALL_MS),
    TIMEOUT_TIMER_MAX_SLEEP_MS: '200',
    TIMEOUT_PROJECTION_IDLE_POLL_MS: '100',
    TIMEOUT_OUTBOX_IDLE_POLL_MS: '100',
    TIMEOUT_RETRY_BACKOFF_BASE_MS: '50',
    TIMEOUT_RETRY_BACKOFF_MAX_MS: '400',
  };
}
