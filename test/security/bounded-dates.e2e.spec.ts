import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ManualClock } from '../../src/common/clock/clock.js';
import { completion, PHASE2_PUSH, REQUIRED_REPORTS } from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const RANGE = 'outside the supported years 2000-2100';

/** Dates and numbers at and past their edges answer 400 naming the field, never 500. */
describe('bounded dates and numbers (real app over HTTP)', () => {
  let test: TestApp;
  let server: App;
  beforeAll(async () => {
    test = await startTestApp(
      { LOG_LEVEL: 'error' },
      { clock: new ManualClock('2026-01-22T15:00:00.000Z') },
    );
    server = test.app.getHttpServer() as App;
  });
  afterAll(() => test.close());

  const refused = async (pending: request.Test, ...expected: string[]) => {
    const answer = await pending;
    expect({ status: answer.status, message: answer.body.message }).toEqual({
      status: 400,
      message: expect.any(String),
    });
    for (const text of expected) expect(answer.body.message).toContain(text);
  };

  it.each([
    ['GET', '/v1/analytics/queries/slow_runs?from=9999-12-31', 'from=9999-12-31'],
    ['GET', '/v1/analytics/queries/slow_runs?from=9999-12-31&to=9999-12-31', 'from=9999-12-31'],
    ['GET', '/v1/analytics/queries/slow_runs?from=1999-12-31&to=2000-01-01', 'from=1999-12-31'],
    ['GET', '/v1/analytics/queries/slow_runs?to=9999-12-31', 'to=9999-12-31'],
    ['GET', '/v1/cost?from=9999-12-31&to=9999-12-31', 'from=9999-12-31'],
    ['POST', '/v1/cost/dry-run/slow_runs?from=9999-12-31&to=9999-12-31', 'from=9999-12-31'],
    ['POST', '/v1/cost/dry-run/slow_runs?from=9999-12-31', 'from=9999-12-31'],
  ])('%s %s answers 400 naming the day and the supported years', async (method, path, day) => {
    const pending =
      method === 'GET' ? request(server).get(path) : request(server).post(path).send({});
    await refused(pending, day, RANGE);
  });

  it('accepts the last supported day (its end plus one day is still a four-digit year)', async () => {
    await request(server).get('/v1/cost?from=2100-12-31&to=2100-12-31').expect(200);
    await request(server)
      .get('/v1/analytics/queries/slow_runs?from=2100-12-31&to=2100-12-31')
      .expect(200);
  });

  it.each([
    ['POST', '/v1/batches', { game_date: '9999-12-31', expected_count: 1 }, 'game_date'],
    ['POST', '/v1/batches', { game_date: '1999-12-31', expected_count: 1 }, 'game_date'],
    ['GET', '/v1/batches?game_date=2101-01-01', null, 'game_date'],
    ['GET', '/v1/phases/9999-12-31', null, 'gameDate'],
    ['GET', '/v1/phases?from=9999-12-30&to=9999-12-31', null, 'from'],
    ['POST', '/v1/phases/9999-12-31/trigger', { reason: 'by hand' }, 'gameDate'],
    ['GET', '/v1/workflows/executions?date=9999-12-31', null, 'date'],
    ['GET', '/v1/workflows/decisions?date=1900-01-01', null, 'date'],
  ])('%s %s %j: 400 naming %s and the supported years', async (method, path, body, field) => {
    const pending =
      method === 'GET' ? request(server).get(path) : request(server).post(path).send(body!);
    await refused(pending, `${field}: ${RANGE}`);
  });

  it('quarantines a phase-2 message whose game date is outside the supported years', async () => {
    const answer = await request(server)
      .post(PHASE2_PUSH)
      .send(pushEnvelope(completion('9999-12-31', REQUIRED_REPORTS[0]!)))
      .expect(202);
    expect(answer.body).toMatchObject({ status: 'quarantined', reason: 'schema_violation' });
    expect(answer.body.detail).toContain(`game_date: ${RANGE}`);
  });

  it.each(['-1', '0', '1001', '1e9', '99999999999999999999', 'NaN', 'Infinity', '1.5'])(
    'answers 400 for limit=%s on every list',
    async (limit) => {
      for (const path of [
        '/v1/events',
        '/v1/streams',
        '/v1/outbox',
        '/v1/alerts',
        '/v1/batches',
        '/v1/workflows/executions',
        '/v1/workflows/decisions',
      ]) {
        await refused(request(server).get(`${path}?limit=${limit}`), 'limit');
      }
    },
  );

  it('answers 400 for an outbox cursor that is not one', async () => {
    await refused(request(server).get(`/v1/outbox?after=${'9'.repeat(41)}`), 'after');
  });
});
