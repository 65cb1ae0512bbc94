// @ts-check
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from './api.js';
import { reportStatus } from './status.js';

/** How often the shown view reads the API again. */
export const POLL_INTERVAL_MS = 5000;

/**
 * @typedef {{ path: string, optional?: boolean }} Source
 * An API read; `optional` for routes an older server may lack (404 reads as null, not an error).
 */

/**
 * Reads `sources` now, then every POLL_INTERVAL_MS while the browser tab is visible (and at once
 * when it becomes visible again). One failing read does not hide the others: its error goes to
 * the status line and its value stays the last one read.
 * @param {() => Record<string, Source | string>} sources name -> API path (read on every poll)
 * @param {unknown[]} deps what the paths depend on (a date, a filter)
 * @returns {{ data: Record<string, any>, reload: () => Promise<void>, loaded: boolean }}
 */
export function usePoll(sources, deps) {
  const [data, setData] = useState(/** @type {Record<string, any>} */ ({}));
  const [loaded, setLoaded] = useState(false);
  const sourcesRef = useRef(sources);
  sourcesRef.current = sources;

  const reload = useCallback(async () => {
    const entries = Object.entries(sourcesRef.current()).map(([name, source]) => [
      name,
      typeof source === 'string' ? { path: source } : source,
    ]);
    const results = await Promise.allSettled(
      entries.map(([, source]) => get(/** @type {Source} */ (source).path)),
    );
    /** @type {string[]} */
    const errors = [];
    /** @type {Record<string, any>} */
    const next = {};
    results.forEach((result, index) => {
      const [name, source] = /** @type {[string, Source]} */ (entries[index]);
      if (result.status === 'fulfilled') next[name] = result.value;
      else if (source.optional && result.reason?.status === 404) next[name] = null;
      else
        errors.push(result.reason instanceof Error ? result.reason.message : String(result.reason));
    });
    setData((previous) => ({ ...previous, ...next }));
    setLoaded(true);
    reportStatus({ updatedAt: new Date(), errors });
  }, deps);

  useEffect(() => {
    const poll = () => {
      if (!document.hidden) void reload();
    };
    setData({});
    setLoaded(false);
    poll();
    const timer = setInterval(poll, POLL_INTERVAL_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [reload]);

  return { data, reload, loaded };
}

/** The current time, moving every second (for countdowns). */
export function useNow() {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
