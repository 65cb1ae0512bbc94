import { replaceUnsupportedText } from '../../../common/event-store/text-replacement.js';
import { cutText, TEXT_LIMITS } from '../../../common/http/text-limits.js';

/** Errors kept in workflow events are cut to this many characters (TEXT_LIMITS.errorMessage). */
export const MAX_ERROR_CHARS = TEXT_LIMITS.errorMessage;

/**
 * The text as stored in WorkflowStepFinished.error / WorkflowExecutionFinished.errors. It quotes
 * scrapers' answers, so characters no store can hold become U+FFFD.
 */
export function truncateError(text: string): string {
  return replaceUnsupportedText(cutText(text, MAX_ERROR_CHARS).text);
}
