import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A straggler-free stretch this long completes a batch at >= 95% (TIMEOUT_STALL_DETECTION_MS). */
export const STALL_MS = 3_000;
/** Minutes from a game date's first phase-2 completion to its deadline (6 s). */
export const PHASE2_DEADLINE_MINUTES = 0.1;

/**
 * The service configuration of a simulated day: production code paths, compressed timings, the
 * built-in scraper stub, and a game schedule with games on the simulated date and today.
 * Everything here is an ordinary setting an operator could use.
 */
export function simulationEnv(
  dir: string,
  gameDate: string,
  scraperServiceUrl: string,
): Record<string, string> {
  const schedulePath = join(dir, 'game-schedule.yaml');
  const today = new Date().toISOString().slice(0, 10);
  const dates = [...new Set([gameDate, today])];
  writeFileSync(
    schedulePath,
    `games:\n${dates.map((date) => `  '${date}': { first_game_local: '19:00', count: 9 }`).join('\n')}\n`,
  );
  return {
    SQLITE_PATH: join(dir, 'shotclock.sqlite'),
    LOG_LEVEL: 'warn',
    SCRAPER_SERVICE_URL: scraperServiceUrl,
    GAME_SCHEDULE_PATH: schedulePath,
    PHASE2_COMPLETION_TIMEOUT_MINUTES: String(PHASE2_DEADLINE_MINUTES),
    TIMEOUT_STALL_DETECTION_MS: String(STALL_MS),
    TIMEOUT_SCRAPER_HTTP_MS: '2000',
    TIMEOUT_TIMER_MAX_SLEEP_MS: '200',
    TIMEOUT_PROJECTION_IDLE_POLL_MS: '100',
    TIMEOUT_OUTBOX_IDLE_POLL_MS: '100',
    TIMEOUT_RETRY_BACKOFF_BASE_MS: '50',
    TIMEOUT_RETRY_BACKOFF_MAX_MS: '400',
  };
}
