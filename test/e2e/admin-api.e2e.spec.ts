import request from 'supertest';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const TOKEN = 'test-admin-token-0123456789';

describe('admin API (real app over HTTP)', () => {
  let test: TestApp;
  let storage: Storage;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeEach(async () => {
    test = await startTestApp({ ADMIN_TOKEN: TOKEN });
    storage = test.app.get(STORAGE);
  });
  afterEach(() => test.close());

  describe('auth', () => {
    it('refuses a missing or wrong token and accepts the right one', async () => {
      const server = test.app.getHttpServer();
      const missing = await request(server).get('/v1/flags').expect(401);
      expect(missing.body.message).toContain('Bearer');
      await request(server).get('/v1/flags').set('Authorization', 'Bearer wrong').expect(401);
      await request(server).get('/v1/flags').set('Authorization', `Basic ${TOKEN}`).expect(401);
      await request(server).get('/v1/flags').set(auth).expect(200);
    });

    it('checks the token on POST /v1/batches before reading its large body', async () => {
      const server = test.app.getHttpServer();
      const post = () =>
        request(server).post('/v1/batches').set('Content-Type', 'application/json');
      // Not even JSON: a parser running first would answer 400.
      const body = `{"game_date": "2026-01-22", "expected_players": [${'"x",'.repeat(300_000)}`;
      const refused = await post().send(body).expect(401);
      expect(refused.body.message).toContain('Bearer');
      await post().set(auth).send(body).expect(400);
    });

    it('leaves health, metrics and docs open', async () => {
      const server = test.app.getHttpServer();
      await request(server).get('/health/live').expect(200);
      await request(server).get('/metrics').expect(200);
      await request(server).get('/openapi.json').expect(200);
    });
  });

  it('pages through the log with opaque positions', async () => {
    for (let i = 0; i < 5; i++) {
      await storage.events.append(`s-${i % 2}`, [{ type: 'Thing', data: { i } }], {
        expectedVersion: 'any',
      });
    }
    const server = test.app.getHttpServer();
    const first = await request(server).get('/v1/events?limit=3').set(auth).expect(200);
    expect(first.body.events.map((e: { data: { i: number } }) => e.data.i)).toEqual([0, 1, 2]);
    expect(first.body.next).toBe(first.body.events[2].position);
    const second = await request(server)
      .get(`/v1/events?limit=3&after=${first.body.next}`)
      .set(auth)
      .expect(200);
    expect(second.body.events.map((e: { data: { i: number } }) => e.data.i)).toEqual([3, 4]);
    expect(second.body.next).toBeNull();
    expect(second.body.events[0]).toMatchObject({
      streamId: 's-1',
      streamVersion: 2,
      type: 'Thing',
    });
  });

  it('answers 400 naming the field for bad input', async () => {
    const server = test.app.getHttpServer();
    const badLimit = await request(server).get('/v1/events?limit=0').set(auth).expect(400);
    expect(badLimit.body.issues[0].field).toBe('limit');
    expect(badLimit.body.message).toMatch(/^limit: /);
    const badAfter = await request(server)
      .get('/v1/events?after=not-a-position')
      .set(auth)
      .expect(400);
    expect(badAfter.body.issues[0]).toMatchObject({ field: 'after' });
    const badCursor = await request(server).get('/v1/outbox?after=x').set(auth).expect(400);
    expect(badCursor.body.issues[0].field).toBe('after');
  });

  it('lists projections and rebuilds one in the background; unknown names are 404', async () => {
    for (let i = 0; i < 30; i++) {
      await storage.events.append(`stream-${i % 3}`, [{ type: 'Thing', data: { i } }], {
        expectedVersion: 'any',
      });
    }
    const server = test.app.getHttpServer();
    await eventually(async () => {
      const res = await request(server).get('/v1/projections').set(auth);
      return res.body.projections.some(
        (p: { name: string; lag: number }) => p.name === 'stream-summaries' && p.lag === 0,
      );
    }, 'projection caught up');
    const before = await request(server).get('/v1/streams').set(auth).expect(200);
    expect(before.body.streams).toHaveLength(3);

    await request(server).post('/v1/projections/stream-summaries/rebuild').set(auth).expect(202);
    await eventually(async () => {
      const res = await request(server).get('/v1/projections').set(auth);
      const projection = res.body.projections.find(
        (p: { name: string }) => p.name === 'stream-summaries',
      );
      return projection.state === 'running' && projection.lag === 0;
    }, 'rebuilt and running');
    const after = await request(server).get('/v1/streams').set(auth).expect(200);
    expect(after.body.streams).toEqual(before.body.streams);

    const unknown = await request(server)
      .post('/v1/projections/nope/rebuild')
      .set(auth)
      .expect(404);
    expect(unknown.body.message).toContain("no projection named 'nope'");
  });

  it('shows the outbox and flags', async () => {
    const server = test.app.getHttpServer();
    const outbox = await request(server).get('/v1/outbox').set(auth).expect(200);
    expect(outbox.body).toMatchObject({ publisher: 'embedded', messages: [], next: null });
    expect(outbox.body.topics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ topic: 'nba-phase5-predictions-complete', last_error: null }),
      ]),
    );
    const flags = await request(server).get('/v1/flags').set(auth).expect(200);
    const idempotency = flags.body.flags.find(
      (f: { name: string }) => f.name === 'ENABLE_IDEMPOTENCY_KEYS',
    );
    expect(idempotency).toMatchObject({ unit: 'subscription', source: 'default' });
    const names = flags.body.flags.map((f: { name: string }) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ENABLE_PHASE2_COMPLETION_DEADLINE',
        'PHASE2_COMPLETION_TIMEOUT_MINUTES',
        'DEDUP_TTL_DAYS',
        'ENABLE_STRUCTURED_LOGGING',
      ]),
    );
  });

  it('serves the OpenAPI document and the explorer', async () => {
    const server = test.app.getHttpServer();
    const doc = await request(server).get('/openapi.json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/events',
        '/v1/projections',
        '/v1/projections/{name}/rebuild',
        '/v1/outbox',
        '/v1/flags',
        '/health/ready',
      ]),
    );
    const html = await request(server).get('/docs').redirects(1).expect(200);
    expect(html.text).toContain('swagger');
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('answers loopback callers', async () => {
    const test = await startTestApp();
    try {
      // supertest connects over 127.0.0.1, a loopback address.
      await request(test.app.getHttpServer()).get('/v1/flags').expect(200);
    } finally {
      await test.close();
    }
  });
});

describe('request bodies', () => {
  it('answers 413 for a body over BODY_LIMIT_BYTES', async () => {
    const test = await startTestApp({ BODY_LIMIT_BYTES: '1024' });
    try {
      const res = await request(test.app.getHttpServer())
        .post('/v1/projections/stream-summaries/rebuild')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(2048) }))
        .expect(413);
      expect(res.body.message).toMatch(/too large/i);
    } finally {
      await test.close();
    }
  });
});
