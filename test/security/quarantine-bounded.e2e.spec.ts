import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import {
  QUARANTINE_EVENTS,
  quarantineStream,
} from '../../src/modules/dedup/quarantine/quarantine.events.js';
import { TEST_DATABASE_URL, withTestDatabase } from '../support/postgres-storage.factory.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

/**
 * Anyone reaching a push URL (or a buggy publisher) can send junk that is quarantined. The raw
 * bodies the quarantine holds stay under QUARANTINE_MAX_BYTES: the oldest are evicted to stubs that
 * keep their metadata, size and sha256, and the metrics count it.
 */
const PUSH = '/v1/push/prediction-completions';
const CAP = 3000;
const GAME_DATE = '2026-01-22';

const completion = (player: string, batchId: string, gameDate = GAME_DATE) => ({
  player_lookup: player,
  game_date: gameDate,
  predictions_generated: 5,
  batch_id: batchId,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-00042-xyz',
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What a cap of `cap` bytes keeps of bodies put in this order, evicting the oldest after each put. */
function expectedHeld(sizes: readonly number[], cap: number): boolean[] {
  const held = sizes.map(() => false);
  let total = 0;
  sizes.forEach((size, index) => {
    held[index] = true;
    total += size;
    for (let oldest = 0; total > cap && oldest <= index; oldest++) {
      if (!held[oldest]) continue;
      held[oldest] = false;
      total -= sizes[oldest]!;
    }
  });
  return held;
}

function metric(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`metric ${name} missing from /metrics`);
  return Number(match[1]);
}

interface StoreSetup {
  env(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

const sqliteSetup = (): StoreSetup => ({ env: async () => ({}), cleanup: async () => undefined });

const postgresSetup = (): StoreSetup => {
  const schemas: string[] = [];
  return {
    async env() {
      const schema = `shotclock_qbound_${process.pid}_${randomBytes(3).toString('hex')}`;
      schemas.push(schema);
      return { EVENT_STORE: 'postgres', DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
    },
    async cleanup() {
      await withTestDatabase(async (client) => {
        for (const schema of schemas.splice(0))
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      });
    },
  };
};

describe.each([
  ['sqlite', sqliteSetup],
  ['postgres', postgresSetup],
])('bounded quarantine over HTTP (real app on %s)', (_name, makeSetup) => {
  let setup: StoreSetup;
  let test: TestApp;
  let storage: Storage;
  const server = () => test.app.getHttpServer();

  beforeAll(() => {
    setup = makeSetup();
  });
  afterAll(() => setup.cleanup());
  beforeEach(async () => {
    test = await startTestApp({ ...(await setup.env()), QUARANTINE_MAX_BYTES: String(CAP) });
    storage = test.app.get<Storage>(STORAGE);
  });
  afterEach(() => test.close());

  const push = async (envelope: object) => {
    const res = await request(server()).post(PUSH).send(envelope).expect(202);
    return res.body.quarantine_id as string;
  };
  const scrape = async () => (await request(server()).get('/metrics').expect(200)).text;

  it('keeps the newest bodies under the cap, evicts the oldest to stubs, answers 410 for their replay', async () => {
    const sent: Array<{ id: string; body: string; reason: string; messageId: string }> = [];
    const send = async (envelope: ReturnType<typeof pushEnvelope>, reason: string) => {
      const id = await push(envelope);
      const body = JSON.stringify(envelope);
      sent.push({ id, body, reason, messageId: envelope.message.messageId });
      expect(metric(await scrape(), 'shotclock_quarantine_body_bytes')).toBeLessThanOrEqual(CAP);
    };
    // Oldest: a completion parked for batch A, then junk, then one parked for batch B.
    await send(pushEnvelope(completion('old-player', 'batch_2026-01-22_a')), 'unknown_batch');
    for (let i = 0; i < 10; i++) {
      const junk = pushEnvelope(null, {
        messageId: `junk-${String(i).padStart(3, '0')}`,
        rawData: `%${'x'.repeat(600)}`,
        deliveryAttempt: 1,
      });
      await send(junk, 'bad_base64');
    }
    await send(
      pushEnvelope(completion('new-player', 'batch_2026-01-23_b', '2026-01-23')),
      'unknown_batch',
    );

    const held = expectedHeld(
      sent.map((entry) => Buffer.byteLength(entry.body)),
      CAP,
    );
    expect(held.slice(0, 4)).toEqual([false, false, false, false]);
    expect(held.at(-1)).toBe(true);
    const evicted = sent.filter((_, index) => !held[index]);
    const kept = sent.filter((_, index) => held[index]);

    const metrics = await scrape();
    const keptBytes = kept.reduce((sum, entry) => sum + Buffer.byteLength(entry.body), 0);
    expect(metric(metrics, 'shotclock_quarantine_body_bytes')).toBe(keptBytes);
    expect(metric(metrics, 'shotclock_quarantine_bodies')).toBe(kept.length);
    expect(metric(metrics, 'shotclock_quarantine_body_evictions_total')).toBe(evicted.length);

    for (const entry of evicted) {
      const shown = await request(server()).get(`/v1/quarantine/${entry.id}`).expect(200);
      expect(shown.body).toMatchObject({
        quarantine_id: entry.id,
        reason: entry.reason,
        endpoint: 'prediction-completions',
        subscription: 'projects/nba-props-platform/subscriptions/shotclock-sub',
        message_id: entry.messageId,
        body_evicted: true,
        body: null,
        body_base64: null,
        body_bytes: Buffer.byteLength(entry.body),
        body_sha256: sha256(entry.body),
      });
      expect(shown.body.received_at).toEqual(expect.any(String));
      expect(shown.body.body_note).toContain('evicted');
      const replay = await request(server()).post(`/v1/quarantine/${entry.id}/replay`).expect(410);
      expect(replay.body.message).toContain('nothing to replay');
      expect(replay.body.message).toContain(sha256(entry.body));
      expect(replay.body.message).toContain(entry.messageId);
    }
    const junkEvicted = evicted.find((entry) => entry.reason === 'bad_base64')!;
    expect(
      (await request(server()).get(`/v1/quarantine/${junkEvicted.id}`)).body.delivery_attempt,
    ).toBe(1);
    for (const entry of kept) {
      const shown = await request(server()).get(`/v1/quarantine/${entry.id}`).expect(200);
      expect(shown.body).toMatchObject({
        body_evicted: false,
        body: entry.body,
        body_bytes: Buffer.byteLength(entry.body),
        body_sha256: sha256(entry.body),
      });
    }
    const keptJunk = kept.find((entry) => entry.reason === 'bad_base64')!;
    const replayed = await request(server())
      .post(`/v1/quarantine/${keptJunk.id}/replay`)
      .expect(200);
    expect(replayed.body).toMatchObject({ quarantine_id: keptJunk.id, outcome: 'still_failing' });

    // Batch A's parked completion lost its body: creating A reports it and goes on, so B's
    // (kept) parked completion is still replayed when B is created.
    for (const [batchId, gameDate] of [
      ['batch_2026-01-22_a', GAME_DATE],
      ['batch_2026-01-23_b', '2026-01-23'],
    ]) {
      await request(server())
        .post('/v1/batches')
        .send({ batch_id: batchId, game_date: gameDate, expected_count: 2 })
        .expect(201);
    }
    await eventually(
      async () =>
        (await request(server()).get('/v1/batches/batch_2026-01-23_b')).body.completed_count === 1,
      "batch B's parked completion replayed",
    );
    expect(
      (await request(server()).get('/v1/batches/batch_2026-01-22_a').expect(200)).body
        .completed_count,
    ).toBe(0);
    expect(metric(await scrape(), 'shotclock_quarantine_body_bytes')).toBeLessThanOrEqual(CAP);
  });

  it('gives a redelivered quarantined message the same entry and leaves no orphan body', async () => {
    const envelope = pushEnvelope(null, { rawData: '%%% not base64' });
    const first = await push(envelope);
    expect(await storage.quarantineBodies.usage()).toEqual({
      bytes: Buffer.byteLength(JSON.stringify(envelope)),
      bodies: 1,
    });
    expect(await push(envelope)).toBe(first);
    expect(await push(envelope)).toBe(first);
    expect(await storage.quarantineBodies.usage()).toEqual({
      bytes: Buffer.byteLength(JSON.stringify(envelope)),
      bodies: 1,
    });
    expect(metric(await scrape(), 'shotclock_quarantine_bodies')).toBe(1);
  });

  it('keeps the body of a conflict record in the same bounded store, once per payload', async () => {
    const batchId = 'batch_2026-01-22_c';
    await request(server())
      .post('/v1/batches')
      .send({ batch_id: batchId, game_date: GAME_DATE, expected_count: 2 })
      .expect(201);
    await request(server())
      .post(PUSH)
      .send(pushEnvelope(completion('p1', batchId), { messageId: 'same-id' }))
      .expect(204);
    const changed = pushEnvelope(completion('p2', batchId), { messageId: 'same-id' });
    await request(server()).post(PUSH).send(changed).expect(422);
    await request(server()).post(PUSH).send(changed).expect(422);

    const records = [];
    for await (const event of storage.events.readStream('push-conflicts')) records.push(event);
    expect(records).toHaveLength(1);
    const record = records[0]!.data as { body_id: string; body_bytes: number; body_sha256: string };
    expect(record).not.toHaveProperty('body_base64');
    const body = JSON.stringify(changed);
    expect(record).toMatchObject({
      body_bytes: Buffer.byteLength(body),
      body_sha256: sha256(body),
    });
    expect((await storage.quarantineBodies.get(record.body_id))!.body.toString()).toBe(body);
    expect(await storage.quarantineBodies.usage()).toEqual({
      bytes: Buffer.byteLength(body),
      bodies: 1,
    });
  });

  it('still lists, shows and replays an entry written by the old version (body inside the event)', async () => {
    const batchId = 'batch_2026-01-22_old';
    const envelope = pushEnvelope(completion('legacy-player', batchId), { messageId: 'old-1' });
    const body = JSON.stringify(envelope);
    const id = 'q20260122120000000-0ldf0rm4';
    await storage.events.append(
      quarantineStream(id),
      [
        {
          type: QUARANTINE_EVENTS.quarantined,
          data: {
            quarantine_id: id,
            reason: 'handler_error',
            detail: 'backend down (old version)',
            endpoint: 'prediction-completions',
            subscription: envelope.subscription,
            message_id: 'old-1',
            delivery_attempt: 5,
            park_key: null,
            body_base64: Buffer.from(body).toString('base64'),
            headers: { 'content-type': 'application/json' },
            received_at: '2026-01-22T12:00:00.000Z',
          },
          metadata: { messageId: 'old-1' },
        },
      ],
      { expectedVersion: 'no-stream' },
    );
    await eventually(
      async () =>
        (await request(server()).get('/v1/quarantine?reason=handler_error')).body.items?.[0]
          ?.quarantine_id === id,
      'old entry listed',
    );
    const shown = await request(server()).get(`/v1/quarantine/${id}`).expect(200);
    expect(shown.body).toMatchObject({
      reason: 'handler_error',
      body_evicted: false,
      body,
      body_bytes: Buffer.byteLength(body),
      body_sha256: sha256(body),
    });
    await request(server())
      .post('/v1/batches')
      .send({ batch_id: batchId, game_date: GAME_DATE, expected_count: 2 })
      .expect(201);
    const replay = await request(server()).post(`/v1/quarantine/${id}/replay`).expect(200);
    expect(replay.body).toMatchObject({ quarantine_id: id, outcome: 'processed' });
    await eventually(
      async () =>
        (await request(server()).get(`/v1/batches/${batchId}`)).body.completed_count === 1,
      'old entry replayed into its batch',
    );
  });
});
