/**
 * Lets timers and I/O run between batches of work. The SQLite adapter works synchronously under
 * its promises, so a long loop of store calls would otherwise starve HTTP (even /health/live).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
