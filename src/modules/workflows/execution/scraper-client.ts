import type { ScrapeRequest, ScraperAttempt } from './scraper-attempt.js';
import { classifyScraperError, classifyScraperResponse } from './scraper-response.classifier.js';

/** Anything that can make one scraper call (the HTTP client; tests use the real one against a stub). */
export interface ScraperCaller {
  /** One attempt; `signal` aborts it from outside (workflow timeout, shutdown): then it throws. */
  call(request: ScrapeRequest, signal: AbortSignal): Promise<ScraperAttempt>;
}

/** `POST {baseUrl}/scrape` with a per-call timeout; every answer and error is classified, never thrown. */
export class ScraperClient implements ScraperCaller {
  private readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly callTimeoutMs: number,
  ) {
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/scrape`;
  }

  async call(request: ScrapeRequest, signal: AbortSignal): Promise<ScraperAttempt> {
    const callTimeout = AbortSignal.timeout(this.callTimeoutMs);
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.any([signal, callTimeout]),
      });
      const text = await response.text();
      return classifyScraperResponse(request.scraper, response.status, parseJson(text));
    } catch (error) {
      // The caller's own abort is not an outcome of the scraper: let the caller record it.
      if (signal.aborted) throw error;
      return classifyScraperError(request.scraper, error, callTimeout.aborted, this.callTimeoutMs);
    }
  }
}

function parseJson(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON (an HTML error page, plain text): classified from the status, kept as text in errors.
    return text;
  }
}
