import type { JsonClient } from '../bench/json-client.js';

/** What every scene gets: the running service, the simulated game date, and a progress line. */
export interface SceneContext {
  client: JsonClient;
  gameDate: string;
  progress(line: string): void;
}

/** One scene's outcome: lines for the summary, and the expectations it checked. */
export interface SceneReport {
  title: string;
  lines: string[];
  checks: Array<{ what: string; ok: boolean; detail: string }>;
}

/** Polls `read` until `done` holds or `timeoutMs` passes; returns the last value read. */
export async function pollFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 200,
): Promise<{ value: T; met: boolean }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return { value, met: true };
    if (Date.now() - started > timeoutMs) return { value, met: false };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const check = (what: string, ok: boolean, detail: string) => ({ what, ok, detail });
