import type { TimeoutConfig } from '../../../common/config/index.js';
import type { ScraperTimeouts } from '../workflow-config.types.js';

/** The two bounds of one scraper call (one attempt), and the setting each comes from. */
export interface ScraperCallBounds {
  /** Until the scraper service answers (status and headers). */
  answerMs: number;
  answerSetting: string;
  /** The whole call: request, answer and its body. Longer than `answerMs`. */
  callMs: number;
  callSetting: string;
}

const MS_PER_SECOND = 1000;
const FILE = 'settings.scraper_timeouts';

/**
 * The bounds of each scraper's calls. Answer bound: `overrides.<scraper>`, else `default` (seconds,
 * from the workflows file), else TIMEOUT_SCRAPER_HTTP_MS. Whole call: the answer bound plus
 * `future_overhead`, else plus TimeoutConfig's own margin (TIMEOUT_SCRAPER_FUTURE_MS -
 * TIMEOUT_SCRAPER_HTTP_MS), which is TIMEOUT_SCRAPER_FUTURE_MS itself when the file sets nothing.
 */
export function scraperCallBounds(
  file: ScraperTimeouts | null,
  timeouts: Pick<TimeoutConfig, 'scraperHttpMs' | 'scraperFutureMs'>,
): (scraper: string) => ScraperCallBounds {
  const overheadMs =
    file?.futureOverheadSeconds != null
      ? file.futureOverheadSeconds * MS_PER_SECOND
      : timeouts.scraperFutureMs - timeouts.scraperHttpMs;
  const overheadSetting =
    file?.futureOverheadSeconds != null
      ? `${FILE}.future_overhead`
      : 'TIMEOUT_SCRAPER_FUTURE_MS - TIMEOUT_SCRAPER_HTTP_MS';
  return (scraper) => {
    const override = file?.overrides.get(scraper);
    const [answerMs, answerSetting] =
      override !== undefined
        ? [override * MS_PER_SECOND, `${FILE}.overrides.${scraper}`]
        : file?.defaultSeconds != null
          ? [file.defaultSeconds * MS_PER_SECOND, `${FILE}.default`]
          : [timeouts.scraperHttpMs, 'TIMEOUT_SCRAPER_HTTP_MS'];
    const fromConfigOnly =
      answerSetting === 'TIMEOUT_SCRAPER_HTTP_MS' && file?.futureOverheadSeconds == null;
    return {
      answerMs: Math.round(answerMs),
      answerSetting,
      callMs: Math.round(answerMs + overheadMs),
      callSetting: fromConfigOnly
        ? 'TIMEOUT_SCRAPER_FUTURE_MS'
        : `${answerSetting} + ${overheadSetting}`,
    };
  };
}
