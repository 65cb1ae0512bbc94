import type { FollowerTiming } from '../../src/common/event-store/log-follower.js';

/** Short polls and backoffs so runtime tests finish fast. */
export const fastTiming: FollowerTiming = {
  idlePollMs: 25,
  skipCheckpointIntervalMs: 25,
  backoffMs: () => 20,
};

/** Waits until `check` holds, polling; fails with `what` after the deadline. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 5000,
) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
