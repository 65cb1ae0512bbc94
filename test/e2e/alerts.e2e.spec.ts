import request from 'supertest';
import type { App } from 'supertest/types.js';
import { join } from 'node:path';
import type { AlertRequest } from '../../src/common/alerts/alert.port.js';
import {
  ALERT_EVENTS,
  alertStream,
  type AlertDeliveryAttempted,
} from '../../src/modules/alerts/alert.events.js';
import { AlertService } from '../../src/modules/alerts/alert.service.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../src/modules/alerts/alert-delivery.decider.js';
import { SystemClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { ProjectionRunner } from '../../src/common/projections/projection-runner.js';
import {
  startFakeSlack,
  WEBHOOK_SECRET_PATH,
  type FakeSlack,
} from '../support/alerts-fake-slack.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

/** Short enough that a hanging endpoint costs the test little, long enough for a local answer. */
const SLACK_TIMEOUT_ENV = { TIMEOUT_SLACK_WEBHOOK_MS: '300' };

const alertRequest = (key: string, overrides: Partial<AlertRequest> = {}): AlertRequest => ({
  key,
  kind: 'phase2_deadline_exceeded',
  severity: 'critical',
  summary: `Phase 2 missed its deadline (${key})`,
  details: { missing_processors: ['TeamOffense', 'PlayerGame'], minutes_elapsed: 31 },
  correlationId: `corr-${key}`,
  ...overrides,
});

interface AlertBody {
  alert_id: string;
  delivery: string;
  attempts: Array<{
    attempt: number;
    outcome: string;
    status_code: number | null;
    error: string | null;
    final: boolean;
    channel: string;
    duration_ms: number;
  }>;
}

describe('alerts: recording, Slack delivery with retries, read API', () => {
  let slack: FakeSlack | undefined;
  let testApp: TestApp | undefined;
  afterEach(async () => {
    await testApp?.close();
    await slack?.close();
    testApp = undefined;
    slack = undefined;
  });

  const start = async (env: Record<string, string>) => {
    testApp = await startTestApp(env);
    return testApp;
  };
  const server = () => testApp!.app.getHttpServer() as App;
  const raise = (req: AlertRequest) => testApp!.app.get(AlertService).raise(req);
  const storage = () => testApp!.app.get<Storage>(STORAGE);
  const getAlert = async (id: string): Promise<AlertBody> =>
    (
      await request(server())
        .get(`/v1/alerts/${encodeURIComponent(id)}`)
        .expect(200)
    ).body as AlertBody;
  /** The alert once delivery has ended (delivered or failed). */
  const settled = async (id: string): Promise<AlertBody> => {
    let body: AlertBody | undefined;
    await eventually(
      async () => {
        const res = await request(server()).get(`/v1/alerts/${encodeURIComponent(id)}`);
        body = res.body as AlertBody;
        return res.status === 200 && ['delivered', 'failed'].includes(body.delivery);
      },
      `delivery of alert ${id} to end`,
      10_000,
    );
    return body!;
  };
  /** The delivery reaction has handled everything in the log. */
  const reactionCaughtUp = () =>
    eventually(
      async () => (await testApp!.app.get(ProjectionRunner).status('alert-delivery')).lag === 0,
      'the alert-delivery reaction to catch up',
    );
  const eventsOfType = async (type: string) => {
    const found = [];
    for await (const event of storage().events.readAll({ types: [type] })) found.push(event);
    return found;
  };

  it('delivers on the first try: a readable Slack message, one recorded attempt', async () => {
    slack = await startFakeSlack();
    await start({ SLACK_WEBHOOK_URL: slack.url });
    expect(await raise(alertRequest('phase2-deadline:2026-01-22'))).toBe(true);

    const alert = await settled('phase2-deadline:2026-01-22');
    expect(alert).toMatchObject({
      alert_id: 'phase2-deadline:2026-01-22',
      kind: 'phase2_deadline_exceeded',
      severity: 'critical',
      details: { missing_processors: ['TeamOffense', 'PlayerGame'], minutes_elapsed: 31 },
      correlation_id: 'corr-phase2-deadline:2026-01-22',
      delivery: 'delivered',
    });
    expect(alert.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        channel: 'slack',
        outcome: 'delivered',
        status_code: 200,
        error: null,
        final: true,
      }),
    ]);
    expect(alert).not.toHaveProperty('position');

    expect(slack.requests).toHaveLength(1);
    const [sent] = slack.requests;
    expect(sent!.path).toBe(WEBHOOK_SECRET_PATH);
    expect(sent!.contentType).toBe('application/json');
    expect(sent!.body.text).toContain(
      ':rotating_light: *CRITICAL* Phase 2 missed its deadline (phase2-deadline:2026-01-22)',
    );
    expect(sent!.body.text).toContain('• *missing_processors*: TeamOffense, PlayerGame');
    expect(sent!.body.text).toContain('• *minutes_elapsed*: 31');
    expect(sent!.body.text).toContain('alert: phase2-deadline:2026-01-22');
  });

  it('retries after 500, 500 and delivers on the third attempt, each attempt recorded', async () => {
    slack = await startFakeSlack((_request, previous) => (previous < 2 ? 500 : 200));
    await start({ SLACK_WEBHOOK_URL: slack.url });
    await raise(alertRequest('flaky'));

    const alert = await settled('flaky');
    expect(alert.delivery).toBe('delivered');
    expect(alert.attempts.map((a) => [a.attempt, a.outcome, a.status_code, a.final])).toEqual([
      [1, 'failed', 500, false],
      [2, 'failed', 500, false],
      [3, 'delivered', 200, true],
    ]);
    expect(alert.attempts[0]!.error).toBe(
      'Slack webhook answered 500 Internal Server Error: internal_error',
    );
    expect(slack.requestsFor('flaky')).toHaveLength(3);
    expect(await eventsOfType(ALERT_EVENTS.deliveryAttempted)).toHaveLength(3);
  });

  it('gives up after N failed attempts (500s, or no answer within the timeout) and still delivers later alerts', async () => {
    slack = await startFakeSlack((request) =>
      request.body.text.includes('poison-hang')
        ? 'hang'
        : request.body.text.includes('poison-500')
          ? 500
          : 200,
    );
    await start({ SLACK_WEBHOOK_URL: slack.url, ...SLACK_TIMEOUT_ENV });
    await raise(alertRequest('poison-hang'));
    await raise(alertRequest('poison-500'));
    await raise(alertRequest('after-the-poison', { severity: 'info' }));

    const hung = await settled('poison-hang');
    expect(hung.delivery).toBe('failed');
    expect(hung.attempts).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(hung.attempts.map((a) => [a.outcome, a.status_code, a.final])).toEqual([
      ['failed', null, false],
      ['failed', null, false],
      ['failed', null, true],
    ]);
    expect(hung.attempts[0]!.error).toBe(
      'Slack webhook did not answer within 300 ms (TIMEOUT_SLACK_WEBHOOK_MS)',
    );
    expect(hung.attempts[0]!.duration_ms).toBeGreaterThanOrEqual(250);

    const failing = await settled('poison-500');
    expect(failing.delivery).toBe('failed');
    expect(failing.attempts.map((a) => [a.attempt, a.status_code, a.final])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, true],
    ]);

    const later = await settled('after-the-poison');
    expect(later.delivery).toBe('delivered');
    expect(slack.requestsFor('poison-hang')).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(slack.requestsFor('poison-500')).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(slack.requestsFor('after-the-poison')).toHaveLength(1);

    // Failure texts are recorded, but the webhook URL is in no event.
    const all = [];
    for await (const event of storage().events.readAll()) all.push(JSON.stringify(event));
    expect(all.some((line) => line.includes('TIMEOUT_SLACK_WEBHOOK_MS'))).toBe(true);
    expect(all.filter((line) => line.includes(WEBHOOK_SECRET_PATH))).toEqual([]);
    expect(all.filter((line) => line.includes(slack!.url))).toEqual([]);
  });

  it('with no webhook configured: the alert is recorded, nothing is attempted, delivery not_configured', async () => {
    await start({});
    await raise(alertRequest('quiet'));
    await eventually(
      async () => (await request(server()).get('/v1/alerts/quiet')).status === 200,
      'the alert to show',
    );
    await reactionCaughtUp();

    const alert = await getAlert('quiet');
    expect(alert.delivery).toBe('not_configured');
    expect(alert.attempts).toEqual([]);
    expect(await eventsOfType(ALERT_EVENTS.raised)).toHaveLength(1);
    expect(await eventsOfType(ALERT_EVENTS.deliveryAttempted)).toEqual([]);
  });

  it('records and delivers an alert raised twice with the same key once', async () => {
    slack = await startFakeSlack();
    await start({ SLACK_WEBHOOK_URL: slack.url });
    expect(await raise(alertRequest('twice'))).toBe(true);
    expect(await raise(alertRequest('twice', { summary: 'raised again' }))).toBe(false);

    const alert = await settled('twice');
    expect(alert.delivery).toBe('delivered');
    await reactionCaughtUp();
    expect(slack.requests).toHaveLength(1);
    expect(alert.attempts).toHaveLength(1);
    const listed = await request(server()).get('/v1/alerts').expect(200);
    expect((listed.body as { items: AlertBody[] }).items.map((a) => a.alert_id)).toEqual(['twice']);
  });

  it('resumes where the record stands: after a recorded failure it sends the next attempt, after delivery nothing', async () => {
    const dir = makeTempDir('shotclock-alerts-resume-');
    const sqlitePath = join(dir.path, 'shotclock.sqlite');
    try {
      // Attempt 1 failed before a crash: recorded, the reaction had not moved past the alert.
      const before = new SqliteStorage(
        {
          path: sqlitePath,
          synchronous: 'NORMAL',
          busyTimeoutMs: 5000,
          idempotencyTtlDays: () => 7,
        },
        new SystemClock(),
      );
      await new AlertService(before, new SystemClock()).raise(alertRequest('resumed'));
      const failed: AlertDeliveryAttempted = {
        alert_id: 'resumed',
        channel: 'slack',
        attempt: 1,
        outcome: 'failed',
        status_code: 503,
        error: 'Slack webhook answered 503',
        duration_ms: 5,
        attempted_at: '2026-01-22T12:00:00.000Z',
        final: false,
      };
      await before.events.append(
        alertStream('resumed'),
        [{ type: ALERT_EVENTS.deliveryAttempted, data: failed }],
        { expectedVersion: 1, idempotencyKey: 'alert-delivery:resumed:1' },
      );
      await before.close();

      slack = await startFakeSlack();
      testApp = await startTestApp({ SLACK_WEBHOOK_URL: slack.url }, { sqlitePath });
      const alert = await settled('resumed');
      expect(alert.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, 'failed'],
        [2, 'delivered'],
      ]);
      expect(slack.requests).toHaveLength(1);
      await testApp.close();
      testApp = undefined;

      // The reaction sees the alert again (at-least-once: its checkpoint is lost): nothing is sent.
      const between = new SqliteStorage(
        {
          path: sqlitePath,
          synchronous: 'NORMAL',
          busyTimeoutMs: 5000,
          idempotencyTtlDays: () => 7,
        },
        new SystemClock(),
      );
      await between.projections.reset('reaction:alert-delivery', []);
      await between.close();
      testApp = await startTestApp({ SLACK_WEBHOOK_URL: slack.url }, { sqlitePath });
      await reactionCaughtUp();
      expect(slack.requests).toHaveLength(1);
      expect((await getAlert('resumed')).attempts).toHaveLength(2);
      await testApp.close();
      testApp = undefined;
    } finally {
      dir.cleanup();
    }
  });

  it('does not send alerts raised before a webhook was configured: they stay not_configured', async () => {
    const dir = makeTempDir('shotclock-alerts-late-config-');
    const sqlitePath = join(dir.path, 'shotclock.sqlite');
    try {
      testApp = await startTestApp({}, { sqlitePath });
      await raise(alertRequest('early'));
      await reactionCaughtUp();
      await testApp.close();

      slack = await startFakeSlack();
      testApp = await startTestApp({ SLACK_WEBHOOK_URL: slack.url }, { sqlitePath });
      await raise(alertRequest('late'));
      expect((await settled('late')).delivery).toBe('delivered');
      const early = await getAlert('early');
      expect(early.delivery).toBe('not_configured');
      expect(early.attempts).toEqual([]);
      expect(slack.requestsFor('early')).toEqual([]);
      await testApp.close();
      testApp = undefined;
    } finally {
      dir.cleanup();
    }
  });

  it('lists alerts in log order, by kind, page by page with a cursor; 400 names a bad field, 404 an unknown id', async () => {
    await start({});
    for (const [key, kind] of [
      ['z-first', 'stall'],
      ['a-second', 'deadline'],
      ['m-third', 'stall'],
      ['b-fourth', 'stall'],
    ] as const) {
      await raise(alertRequest(key, { kind }));
    }
    await eventually(
      async () =>
        ((await request(server()).get('/v1/alerts')).body as { items: unknown[] }).items.length ===
        4,
      'four alerts listed',
    );
    const ids = (body: unknown) => (body as { items: AlertBody[] }).items.map((a) => a.alert_id);

    const all = await request(server()).get('/v1/alerts').expect(200);
    expect(ids(all.body)).toEqual(['z-first', 'a-second', 'm-third', 'b-fourth']);
    expect((all.body as { next: string | null }).next).toBeNull();
    expect((all.body as { items: AlertBody[] }).items[0]!.delivery).toBe('not_configured');

    const first = await request(server()).get('/v1/alerts?kind=stall&limit=2').expect(200);
    expect(ids(first.body)).toEqual(['z-first', 'm-third']);
    const cursor = (first.body as { next: string }).next;
    expect(cursor).toEqual(expect.any(String));
    const second = await request(server())
      .get(`/v1/alerts?kind=stall&limit=2&cursor=${encodeURIComponent(cursor)}`)
      .expect(200);
    expect(ids(second.body)).toEqual(['b-fourth']);
    expect((second.body as { next: string | null }).next).toBeNull();

    const pageOne = await request(server()).get('/v1/alerts?limit=3').expect(200);
    const rest = await request(server())
      .get(`/v1/alerts?cursor=${encodeURIComponent((pageOne.body as { next: string }).next)}`)
      .expect(200);
    expect(ids(rest.body)).toEqual(['b-fourth']);

    const bad = await request(server()).get('/v1/alerts?limit=0').expect(400);
    expect((bad.body as { message: string }).message).toMatch(/^limit: /);
    const missing = await request(server()).get('/v1/alerts/nope').expect(404);
    expect((missing.body as { message: string }).message).toContain("no alert 'nope'");
  });
});
