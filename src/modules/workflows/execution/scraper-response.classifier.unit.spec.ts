import { MAX_ERROR_CHARS } from './error-text.js';
import { classifyScraperError, classifyScraperResponse } from './scraper-response.classifier.js';

describe('classifyScraperResponse', () => {
  it.each([
    [200, { data_summary: { rowCount: 3 } }, 'success'],
    [201, { data_summary: { rowCount: 1 } }, 'success'],
    [200, { data_summary: { rowCount: 0 } }, 'no_data'],
    [429, { error: 'slow down' }, 'retryable'],
    [500, 'boom', 'retryable'],
    [503, '', 'retryable'],
    [400, { error: 'bad scraper' }, 'failed'],
    [404, 'not found', 'failed'],
    [200, { status: 'ok' }, 'failed'],
    [200, { data_summary: { rowCount: '3' } }, 'failed'],
    [200, { data_summary: { rowCount: -1 } }, 'failed'],
    [200, 'not json', 'failed'],
  ])('status %i with body %j is %s', (status, body, kind) => {
    expect(classifyScraperResponse('s1', status, body).kind).toBe(kind);
  });

  it('keeps the row count and the data_summary of a success', () => {
    expect(classifyScraperResponse('s1', 200, { data_summary: { rowCount: 7, x: 1 } })).toEqual({
      kind: 'success',
      rowCount: 7,
      dataSummary: { rowCount: 7, x: 1 },
    });
  });

  it('names the scraper and the status, and cuts the error to 1000 characters', () => {
    const result = classifyScraperResponse('nbac_x', 400, 'e'.repeat(5000));
    expect(result.kind).toBe('failed');
    const error = (result as { error: string }).error;
    expect(error.startsWith('scraper nbac_x: HTTP 400 (not retried): eee')).toBe(true);
    expect(error).toHaveLength(MAX_ERROR_CHARS);
  });
});

describe('classifyScraperError', () => {
  it('a per-call timeout is retryable with reason timeout and names the timeout', () => {
    expect(
      classifyScraperError('s1', new Error('aborted'), {
        what: 'no answer',
        ms: 250,
        setting: 'TIMEOUT_SCRAPER_HTTP_MS',
      }),
    ).toEqual({
      kind: 'retryable',
      reason: 'timeout',
      error: 'scraper s1: no answer within 250 ms (TIMEOUT_SCRAPER_HTTP_MS)',
    });
  });

  it('a network error is retryable with its cause', () => {
    const error = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    expect(classifyScraperError('s1', error, null)).toEqual({
      kind: 'retryable',
      reason: 'network',
      error: 'scraper s1: request failed: fetch failed: connect ECONNREFUSED',
    });
  });
});
