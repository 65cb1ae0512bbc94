import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { z } from 'zod';
import {
  schemaOf,
  TEST_DATABASE_URL,
  testPostgresOptions,
} from '../../../../test/support/postgres-storage.factory.js';
import { pushEnvelope } from '../../../../test/support/push-envelope.js';
import { STORAGE_FACTORIES } from '../../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../../test/support/storage.contract.js';
import { ManualClock } from '../../../common/clock/clock.js';
import { loadConfig } from '../../../common/config/index.js';
import { PostgresStorage } from '../../../common/event-store/postgres/postgres-storage.js';
import { SqliteStorage } from '../../../common/event-store/sqlite/sqlite-storage.js';
import type { RecordedEvent, Storage } from '../../../common/event-store/index.js';
import type { PushPlanner } from '../../../common/ingestion/push-planner.js';
import { PushPipeline } from './push-pipeline.js';

const scoreSchema = z.object({ game: z.string(), points: z.number().int() });
type Score = z.infer<typeof scoreSchema>;

/** A real handler of the pipeline's contract: one event per score, or a park/failure on demand. */
class ScoreHandler implements PushPlanner<Score> {
  readonly endpoint = 'scores';
  readonly schema = scoreSchema;
  failing = false;
  /** Decides against a stale version every time, as if other writers always got there first. */
  contended = false;
  parkUnknown = new Set<string>();
  async plan(payload: Score) {
    if (this.failing) throw new Error('scores backend exploded');
    if (this.parkUnknown.has(payload.game)) {
      return {
        kind: 'park' as const,
        reason: 'unknown_game',
        detail: `no game ${payload.game}`,
        parkKey: `game:${payload.game}`,
      };
    }
    return {
      kind: 'append' as const,
      writes: [
        {
          streamId: `score-${payload.game}`,
          events: [{ type: 'ScoreRecorded', data: payload }],
          expectedVersion: this.contended ? ('no-stream' as const) : ('any' as const),
        },
      ],
    };
  }
}

const body = (envelope: unknown) => Buffer.from(JSON.stringify(envelope));
const headers = { 'content-type': 'application/json' };

async function all(storage: Storage, type?: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of storage.events.readAll(type ? { types: [type] } : {}))
    events.push(event);
  return events;
}

describe.each(STORAGE_FACTORIES)('PushPipeline (real %s store)', (adapter, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  let pipeline: PushPipeline;
  let handler: ScoreHandler;
  const clock = new ManualClock('2026-01-22T12:00:00Z');

  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(() => factory.dispose());
  beforeEach(async () => {
    ({ storage } = await factory.create(clock));
    pipeline = new PushPipeline(storage, clock, loadConfig({ PUSH_MAX_DELIVERY_ATTEMPTS: '3' }));
    handler = new ScoreHandler();
  });
  afterEach(() => storage.close());

  const deliver = (envelope: unknown) =>
    pipeline.process(handler, { body: body(envelope), headers }, { kind: 'delivery' });

  it('records a message once however often it is delivered, answering 204 every time', async () => {
    const envelope = pushEnvelope({ game: 'g1', points: 3 }, { messageId: 'dup-1' });
    expect((await deliver(envelope)).status).toBe(204);
    const again = await deliver(envelope);
    expect(again).toMatchObject({
      status: 204,
      outcome: 'duplicate',
      headers: { 'Idempotent-Replayed': 'true' },
    });
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => deliver(envelope)));
    expect(concurrent.map((r) => r.status)).toEqual(Array(20).fill(204));
    const recorded = await all(storage, 'ScoreRecorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.metadata).toMatchObject({ messageId: 'dup-1', source: 'push:scores' });
  });

  it('answers 422 and records the conflict when a message id comes back with another payload', async () => {
    await deliver(pushEnvelope({ game: 'g1', points: 3 }, { messageId: 'same-id' }));
    const changed = await deliver(
      pushEnvelope({ game: 'g1', points: 4 }, { messageId: 'same-id' }),
    );
    expect(changed.status).toBe(422);
    expect(changed.body?.message).toContain('different payload');
    const conflicts = await all(storage, 'PushConflictRecorded');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.data).toMatchObject({ message_id: 'same-id', endpoint: 'scores' });
    expect(await all(storage, 'ScoreRecorded')).toHaveLength(1);
  });

  it.each([
    ['bad_base64', pushEnvelope(null, { rawData: '***not base64***' })],
    ['invalid_json', pushEnvelope(null, { rawData: Buffer.from('{"game": ').toString('base64') })],
    ['schema_violation', pushEnvelope({ game: 'g1', points: 'three' })],
  ])(
    'quarantines %s with 202 and keeps the raw envelope; a redelivery returns the same entry',
    async (reason, envelope) => {
      const first = await deliver(envelope);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({
        status: 'quarantined',
        reason,
        quarantine_id: expect.any(String),
      });
      const again = await deliver(envelope);
      expect(again.body?.quarantine_id).toBe(first.body?.quarantine_id);
      const [stored] = await all(storage, 'MessageQuarantined');
      const held = await storage.quarantineBodies.get(first.quarantineId!);
      expect(held!.body.toString()).toBe(JSON.stringify(envelope));
      expect(stored!.data).toMatchObject({
        quarantine_id: first.quarantineId,
        body_bytes: held!.bytes,
      });
      expect(await all(storage, 'MessageQuarantined')).toHaveLength(1);
    },
  );

  it.each([
    ['not JSON', Buffer.from('hello'), /not JSON/],
    ['no message', Buffer.from('{"subscription":"s"}'), /no "message" object/],
    // A message without an id is accepted under its fingerprint (push-without-message-id.int.spec.ts).
    [
      'a message id that is not a string',
      Buffer.from('{"message":{"data":"","messageId":7}}'),
      /message\.messageId must be a string/,
    ],
    ['empty', Buffer.alloc(0), /empty/],
  ])('answers 400 for a body that is not an envelope (%s)', async (_name, raw, problem) => {
    const result = await pipeline.process(handler, { body: raw, headers }, { kind: 'delivery' });
    expect(result.status).toBe(400);
    expect(result.body?.message).toMatch(problem);
    expect(await storage.events.head()).toBeNull();
  });

  it('accepts unwrapped delivery with the metadata in headers', async () => {
    const result = await pipeline.process(
      handler,
      {
        body: Buffer.from(JSON.stringify({ game: 'g2', points: 1 })),
        headers: {
          'x-goog-pubsub-message-id': 'u-1',
          'x-goog-pubsub-subscription-name': 'projects/p/subscriptions/s',
        },
      },
      { kind: 'delivery' },
    );
    expect(result).toMatchObject({
      status: 204,
      message: { messageId: 'u-1', subscription: 'projects/p/subscriptions/s' },
    });
  });

  /** A pipeline on a store whose write lock another connection holds until `release()`. */
  function lockedStore() {
    return adapter === 'postgres' ? lockedPostgresStore() : lockedSqliteStore();
  }

  async function lockedSqliteStore() {
    const { storage: first, reopen } = await factory.create(clock);
    await first.close();
    const owner = (await reopen()) as SqliteStorage;
    const impatient = new SqliteStorage(
      { ...owner.sqlite.options, busyTimeoutMs: 50, idempotencyTtlDays: () => 7 },
      clock,
    );
    const blocker = new DatabaseSync(owner.sqlite.options.path);
    blocker.exec('BEGIN IMMEDIATE');
    return {
      storage: impatient,
      pipeline: new PushPipeline(impatient, clock, loadConfig({})),
      release: async () => {
        blocker.exec('ROLLBACK');
        blocker.close();
      },
      close: async () => {
        await impatient.close();
        await owner.close();
      },
    };
  }

  /** PostgreSQL's version: another session holds EXCLUSIVE locks (reads pass, writes wait) past lock_timeout. */
  async function lockedPostgresStore() {
    const { storage: owner } = await factory.create(clock);
    const schema = schemaOf(owner);
    const impatient = await PostgresStorage.open(
      testPostgresOptions(schema, { busyTimeoutMs: 50 }),
      clock,
    );
    const blocker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `LOCK TABLE ${schema}.events, ${schema}.idempotency_keys IN EXCLUSIVE MODE`,
    );
    return {
      storage: impatient,
      pipeline: new PushPipeline(impatient, clock, loadConfig({})),
      release: async () => {
        await blocker.query('ROLLBACK');
        await blocker.end();
      },
      close: async () => {
        await impatient.close();
        await owner.close();
      },
    };
  }

  // Firestore has no lock a test can hold that fails an append quickly: a transaction holding the
  // documents makes it wait about 2 s per attempt on the emulator (10 attempts), and the client
  // retries an unreachable server for minutes. Its answers that mean "retry later" become
  // StoreUnavailableError in firestore-errors.ts (firestore-errors.unit.spec.ts).
  const lockable = adapter !== 'firestore';
  if (lockable) {
    it.each([
      {
        kind: 'a valid message',
        data: { game: 'g3', points: 7 },
        settled: 204,
        type: 'ScoreRecorded',
      },
      { kind: 'a poison message', data: { game: 'g3' }, settled: 202, type: 'MessageQuarantined' },
    ])(
      'answers 503 for $kind while the store is locked; the redelivery then has exactly one effect',
      async ({ data, settled, type }) => {
        const locked = await lockedStore();
        const envelope = pushEnvelope(data);
        const deliver = () =>
          locked.pipeline.process(handler, { body: body(envelope), headers }, { kind: 'delivery' });
        const during = await deliver();
        expect(during).toMatchObject({ status: 503, outcome: 'unavailable' });
        await locked.release();
        const after = await deliver();
        const again = await deliver();
        expect([after.status, again.status]).toEqual([settled, settled]);
        expect(await all(locked.storage, type)).toHaveLength(1);
        await locked.close();
      },
    );
  }

  it('without idempotency keys (flag off) processes every delivery: the old behaviour', async () => {
    const legacy = new PushPipeline(
      storage,
      clock,
      loadConfig({ ENABLE_IDEMPOTENCY_KEYS: 'false' }),
    );
    const envelope = pushEnvelope({ game: 'g4', points: 2 });
    await legacy.process(handler, { body: body(envelope), headers }, { kind: 'delivery' });
    await legacy.process(handler, { body: body(envelope), headers }, { kind: 'delivery' });
    expect(await all(storage, 'ScoreRecorded')).toHaveLength(2);
  });

  it('asks for redelivery when the handler fails, and quarantines at the attempt limit', async () => {
    handler.failing = true;
    const early = await deliver(
      pushEnvelope({ game: 'g5', points: 1 }, { messageId: 'poison', deliveryAttempt: 2 }),
    );
    expect(early.status).toBe(500);
    const last = await deliver(
      pushEnvelope({ game: 'g5', points: 1 }, { messageId: 'poison', deliveryAttempt: 3 }),
    );
    expect(last.status).toBe(202);
    expect(last.body).toMatchObject({
      reason: 'handler_error',
      detail: expect.stringContaining('exploded'),
    });
  });

  it('answers a stream that stays contended like a busy store (503), never quarantining the message', async () => {
    await deliver(pushEnvelope({ game: 'g7', points: 1 }, { messageId: 'first' }));
    handler.contended = true;
    const hot = pushEnvelope({ game: 'g7', points: 2 }, { messageId: 'hot', deliveryAttempt: 3 });
    const busy = await deliver(hot);
    expect(busy).toMatchObject({ status: 503, outcome: 'unavailable' });
    expect(busy.detail).toContain('concurrent writers moved stream score-g7');
    expect(await all(storage, 'MessageQuarantined')).toHaveLength(0);
    handler.contended = false;
    expect((await deliver(hot)).status).toBe(204);
  });

  it('replays a parked message under its own key: one effect however often it is replayed', async () => {
    handler.parkUnknown.add('g6');
    const parked = await deliver(pushEnvelope({ game: 'g6', points: 9 }));
    expect(parked.body).toMatchObject({ reason: 'unknown_game' });
    const quarantineId = parked.quarantineId!;
    const stillParked = await pipeline.process(
      handler,
      { body: body(pushEnvelope({ game: 'g6', points: 9 })), headers },
      { kind: 'replay', quarantineId },
    );
    expect(stillParked.outcome).toBe('quarantined');
    expect(await all(storage, 'MessageQuarantined')).toHaveLength(1);

    handler.parkUnknown.clear();
    const original = (await storage.quarantineBodies.get(quarantineId))!.body;
    const replay = () =>
      pipeline.process(handler, { body: original, headers }, { kind: 'replay', quarantineId });
    expect((await replay()).outcome).toBe('processed');
    expect((await replay()).outcome).toBe('duplicate');
    expect(await all(storage, 'ScoreRecorded')).toHaveLength(1);
  });
});
