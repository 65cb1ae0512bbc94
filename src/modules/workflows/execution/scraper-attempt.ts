/** What one HTTP call to the scraper service came to. */
export type ScraperAttempt =
  | { kind: 'success'; rowCount: number; dataSummary: Record<string, unknown> }
  | { kind: 'no_data'; rowCount: 0; dataSummary: Record<string, unknown> }
  /** 429, 5xx, a network error or the per-call timeout: worth another attempt. */
  | { kind: 'retryable'; reason: 'timeout' | 'http' | 'network'; error: string }
  /** Any other answer (4xx, a 2xx without data_summary.rowCount): retrying would not help. */
  | { kind: 'failed'; error: string };

/** The body sent to `POST {SCRAPER_SERVICE_URL}/scrape`. */
export interface ScrapeRequest {
  scraper: string;
  workflow: string;
  source: 'CONTROLLER';
  /** data_summary of earlier scrapers this one depends on, keyed by scraper; absent when none. */
  inputs?: Record<string, Record<string, unknown>>;
}
