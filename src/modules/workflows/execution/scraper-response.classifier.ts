import { truncateError } from './error-text.js';
import type { ScraperAttempt } from './scraper-attempt.js';

const TOO_MANY_REQUESTS = 429;

/** Classifies an answer of the scraper service (status and parsed JSON body, or the raw text). */
export function classifyScraperResponse(
  scraper: string,
  status: number,
  body: unknown,
): ScraperAttempt {
  if (status === TOO_MANY_REQUESTS || status >= 500) {
    return {
      kind: 'retryable',
      reason: 'http',
      error: truncateError(`scraper ${scraper}: HTTP ${status}: ${bodyText(body)}`),
    };
  }
  if (status < 200 || status >= 300) {
    return {
      kind: 'failed',
      error: truncateError(`scraper ${scraper}: HTTP ${status} (not retried): ${bodyText(body)}`),
    };
  }
  const summary = dataSummaryOf(body);
  const rowCount = summary?.['rowCount'];
  if (!summary || typeof rowCount !== 'number' || !Number.isFinite(rowCount) || rowCount < 0) {
    return {
      kind: 'failed',
      error: truncateError(
        `scraper ${scraper}: HTTP ${status} without a data_summary.rowCount >= 0: ${bodyText(body)}`,
      ),
    };
  }
  return rowCount > 0
    ? { kind: 'success', rowCount, dataSummary: summary }
    : { kind: 'no_data', rowCount: 0, dataSummary: summary };
}

/** Which bound of a call ran out: `no answer` / `call not finished` within `ms` (`setting`). */
export interface CallTimeout {
  what: string;
  ms: number;
  setting: string;
}

/** A call that got no answer: one of its bounds (see ScraperCallBounds) or a network error. */
export function classifyScraperError(
  scraper: string,
  error: unknown,
  timeout: CallTimeout | null,
): ScraperAttempt {
  if (timeout) {
    return {
      kind: 'retryable',
      reason: 'timeout',
      error: `scraper ${scraper}: ${timeout.what} within ${timeout.ms} ms (${timeout.setting})`,
    };
  }
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: 'retryable',
    reason: 'network',
    error: truncateError(`scraper ${scraper}: request failed: ${message}${cause}`),
  };
}

function dataSummaryOf(body: unknown): Record<string, unknown> | null {
  if (typeof body !== 'object' || body === null) return null;
  const summary = (body as Record<string, unknown>)['data_summary'];
  return typeof summary === 'object' && summary !== null && !Array.isArray(summary)
    ? (summary as Record<string, unknown>)
    : null;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null || body === '') return '(empty body)';
  return typeof body === 'string' ? body : JSON.stringify(body);
}
