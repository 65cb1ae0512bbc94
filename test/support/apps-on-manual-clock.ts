import { ManualClock } from '../../src/common/clock/clock.js';
import { startTestApp, type TestApp } from './test-app.js';
import { timersCheckedUpToNow } from './timers-checked.js';

/**
 * Real apps on one manual clock, reset before each test and closed after it (registers the Jest
 * hooks, so call it in a describe block). `start` boots an app on a fresh SQLite file and gives its
 * HTTP server; `timersChecked` waits until the newest app's timer scheduler has fired every timer
 * due by the clock's now.
 */
export function appsOnManualClock(startsAt: string) {
  const apps: TestApp[] = [];
  let clock = new ManualClock(startsAt);
  beforeEach(() => {
    clock = new ManualClock(startsAt);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  return {
    get clock(): ManualClock {
      return clock;
    },
    /** `sqlitePath` reopens an earlier app's store (a restart); by default a fresh file. */
    async start(env: Record<string, string> = {}, sqlitePath?: string) {
      const app = await startTestApp(
        { LOG_LEVEL: 'error', ...env },
        { clock, ...(sqlitePath ? { sqlitePath } : {}) },
      );
      apps.push(app);
      return app.app.getHttpServer();
    },
    /** Closes the newest app (a shutdown before a restart on the same store). */
    async closeNewest(): Promise<void> {
      const newest = apps.pop();
      if (!newest) throw new Error('closeNewest() before start(): no app is running');
      await newest.close();
    },
    timersChecked(): Promise<void> {
      const newest = apps.at(-1);
      if (!newest) throw new Error('timersChecked() before start(): no app is running');
      return timersCheckedUpToNow(newest.app, clock);
    },
  };
}
