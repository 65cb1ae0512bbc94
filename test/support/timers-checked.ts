import type { INestApplicationContext } from '@nestjs/common';
import type { Clock } from '../../src/common/clock/clock.js';
import { TimerScheduler } from '../../src/common/timers/timer-scheduler.js';

/**
 * Waits until the app's timer scheduler has fired every timer due at or before the clock's now:
 * after it, a timer that is due later and has not fired really has not (no sleep needed).
 * Follow it with `settled(server)` to let projections and reactions act on what fired.
 */
export async function timersCheckedUpToNow(
  app: INestApplicationContext,
  clock: Clock,
  timeoutMs = 5000,
): Promise<void> {
  const nowMs = clock.now().getTime();
  const scheduler = app.get(TimerScheduler);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the timer scheduler did not check the timers due at or before ${new Date(nowMs).toISOString()} ` +
              `within ${timeoutMs} ms (checked up to ${scheduler.checkedUpTo()})`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([scheduler.waitUntilChecked(nowMs), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
