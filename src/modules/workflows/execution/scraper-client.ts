import type { ScrapeRequest, ScraperAttempt } from './scraper-attempt.js';
import type { ScraperCallBounds } from './scraper-call-bounds.js';
import { classifyScraperError, classifyScraperResponse } from './scraper-response.classifier.js';

/** Anything that can make one scraper call (the HTTP client; tests use the real one against a stub). */
export interface ScraperCaller {
  /** One attempt; `signal` aborts it from outside (workflow timeout, shutdown): then it throws. */
  call(request: ScrapeRequest, signal: AbortSignal): Promise<ScraperAttempt>;
}

/**
 * `POST {baseUrl}/scrape`, bounded twice per call: the wait for the answer (status and headers)
 * and the whole call (with the body); every answer and error is classified, never thrown.
 */
export class ScraperClient implements ScraperCaller {
  private readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly boundsOf: (scraper: string) => ScraperCallBounds,
  ) {
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/scrape`;
  }

  async call(request: ScrapeRequest, signal: AbortSignal): Promise<ScraperAttempt> {
    const bounds = this.boundsOf(request.scraper);
    const whole = AbortSignal.timeout(bounds.callMs);
    const answer = new AbortController();
    const answerTimer = setTimeout(() => answer.abort(), bounds.answerMs);
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.any([signal, whole, answer.signal]),
      });
      clearTimeout(answerTimer);
      const text = await response.text();
      return classifyScraperResponse(request.scraper, response.status, parseJson(text));
    } catch (error) {
      // The caller's own abort is not an outcome of the scraper: let the caller record it.
      if (signal.aborted) throw error;
      const timeout = answer.signal.aborted
        ? { what: 'no answer', ms: bounds.answerMs, setting: bounds.answerSetting }
        : whole.aborted
          ? { what: 'call not finished', ms: bounds.callMs, setting: bounds.callSetting }
          : null;
      return classifyScraperError(request.scraper, error, timeout);
    } finally {
      clearTimeout(answerTimer);
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
