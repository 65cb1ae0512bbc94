import { join } from 'node:path';
import { AlertService } from '../../src/modules/alerts/alert.service.js';
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { startFakeSlack, WEBHOOK_SECRET_PATH } from '../support/alerts-fake-slack.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';

/**
 * The webhook URL is a credential. The real service runs as a child process with every log line
 * captured (debug level) while deliveries succeed, are answered 500, time out and find nothing
 * listening; the URL's secret path must appear in none of its output, events or API answers.
 */
describe('alerts: the Slack webhook URL never leaks', () => {
  const dir = makeTempDir('shotclock-alerts-secret-');
  let service: ServiceProcess | undefined;
  afterAll(() => {
    if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    dir.cleanup();
  });

  it('keeps it out of logs, events and the read API, on success and on every kind of failure', async () => {
    const slack = await startFakeSlack((request, previous) => {
      if (request.body.text.includes('leak-hang')) return 'hang';
      if (request.body.text.includes('leak-retry') && previous === 0) return 500;
      return 200;
    });
    const sqlitePath = join(dir.path, 'shotclock.sqlite');
    service = await startServiceProcess({
      SQLITE_PATH: sqlitePath,
      SLACK_WEBHOOK_URL: slack.url,
      TIMEOUT_SLACK_WEBHOOK_MS: '300',
      LOG_LEVEL: 'debug',
      ENABLE_STRUCTURED_LOGGING: 'false',
    });
    const storage = new SqliteStorage(
      { path: sqlitePath, synchronous: 'NORMAL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
      new SystemClock(),
    );
    const alerts = new AlertService(storage, new SystemClock());
    const raise = (key: string) =>
      alerts.raise({
        key,
        kind: 'leak_check',
        severity: 'warning',
        summary: `leak check ${key}`,
        details: { step: key },
      });
    const alertBody = async (id: string) => {
      const res = await fetch(`${service!.baseUrl}/v1/alerts/${id}`);
      return { status: res.status, text: await res.text() };
    };
    const settled = (id: string) =>
      eventually(
        async () => {
          const { status, text } = await alertBody(id);
          return status === 200 && /"delivery":"(delivered|failed)"/.test(text);
        },
        `delivery of ${id} to end`,
        15_000,
      );

    try {
      await raise('leak-ok');
      await raise('leak-retry');
      await raise('leak-hang');
      await settled('leak-ok');
      await settled('leak-retry');
      await settled('leak-hang');
      // Nothing listens on the webhook's port any more: connection refused.
      await slack.close();
      await raise('leak-refused');
      await settled('leak-refused');

      const answers = await Promise.all(
        ['leak-ok', 'leak-retry', 'leak-hang', 'leak-refused'].map(alertBody),
      );
      expect(answers.map(({ text }) => /"delivery":"(\w+)"/.exec(text)![1])).toEqual([
        'delivered',
        'delivered',
        'failed',
        'failed',
      ]);
      const refused = answers[3]!.text;
      expect(refused).toContain('Slack webhook request failed: fetch failed');
      const listing = await (await fetch(`${service.baseUrl}/v1/alerts`)).text();

      const events: string[] = [];
      for await (const event of storage.events.readAll()) events.push(JSON.stringify(event));
      expect(events.length).toBeGreaterThanOrEqual(4 + 1 + 2 + 3 + 3);

      service.child.kill('SIGTERM');
      await service.exited;
      const output = service.output();
      // The capture works: delivery lines of each outcome are in it.
      expect(output).toContain('alert leak-ok: slack delivery attempt 1 delivered');
      expect(output).toContain('alert leak-retry: slack delivery attempt 1 failed, retrying');
      expect(output).toContain('alert leak-hang: slack delivery attempt 3 failed');
      expect(output).toContain('alert leak-refused: slack delivery attempt 3 failed');

      for (const text of [output, listing, ...answers.map((a) => a.text), ...events]) {
        expect(text).not.toContain(WEBHOOK_SECRET_PATH);
        expect(text).not.toContain('leak-canary');
      }
    } finally {
      await storage.close();
      await slack.close();
    }
  });
});
