import { z } from 'zod';
import {
  isCalendarDate,
  isWithinSupportedYears,
  OUTSIDE_SUPPORTED_YEARS,
} from '../../common/clock/calendar-days.js';
import { TEXT_LIMITS, tooLongProblem } from '../../common/http/text-limits.js';

/**
 * Batch ids become stream names (`batch-<id>`, `batch-<id>-player-<player>`) and read-model key
 * prefixes (`<id>/`), so they may not contain `/` nor `-player-` (which would make a batch stream
 * look like another batch's player stream).
 */
export const batchIdSchema = z
  .string()
  .max(TEXT_LIMITS.batchId, tooLongProblem(TEXT_LIMITS.batchId))
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
    `letters, digits, _ . : - (1 to ${TEXT_LIMITS.batchId} characters)`,
  )
  .refine((id) => !id.includes('-player-'), 'must not contain "-player-"');

/** Expected player ids as the prediction workers write them: lowercase, may contain hyphens. */
export const EXPECTED_PLAYER_PATTERN = new RegExp(
  `^[a-z0-9][a-z0-9._'-]{0,${TEXT_LIMITS.expectedPlayer - 1}}$`,
);
export const EXPECTED_PLAYER_RULE = `a lowercase player id (a-z, 0-9, . _ ' -, at most ${TEXT_LIMITS.expectedPlayer} characters)`;

/**
 * A player id as reported in a completion: anything without whitespace or `/`, so a malformed id
 * is recorded as an unexpected player (visible) instead of being quarantined. Longer than
 * TEXT_LIMITS.playerLookup it is refused (quarantined), as it names a stream.
 */
export const reportedPlayerSchema = z
  .string()
  .max(TEXT_LIMITS.playerLookup, tooLongProblem(TEXT_LIMITS.playerLookup))
  .regex(/^[^\s/]+$/, 'a player id without spaces or "/"');

export const gameDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date')
  .refine(isWithinSupportedYears, OUTSIDE_SUPPORTED_YEARS);

/** The production default: `batch_<game_date>_<unix seconds>`. */
export function defaultBatchId(gameDate: string, now: Date): string {
  return `batch_${gameDate}_${Math.floor(now.getTime() / 1000)}`;
}
