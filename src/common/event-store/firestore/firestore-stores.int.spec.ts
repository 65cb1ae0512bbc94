import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { ManualClock } from '../../clock/clock.js';
import { InvalidPositionError } from '../event-store.errors.js';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../../../../test/support/firestore/index.js';
import { CommitTooLargeError } from './firestore-commit-limits.js';
import { FirestoreEventLog } from './firestore-event-log.js';
import { FirestoreLayout } from './firestore-layout.js';
import { FirestoreLeaseStore } from './firestore-lease-store.js';
import { FirestoreOutboxStore } from './firestore-outbox-store.js';
import { FirestoreProjectionStore } from './firestore-projection-store.js';
import {
  FirestoreQuarantineBodies,
  QUARANTINE_MAX_BODY_BYTES,
  QuarantineBodyTooLargeError,
} from './firestore-quarantine-bodies.js';
import { FirestoreReadModels } from './firestore-read-models.js';
import { FirestoreTimerStore } from './firestore-timer-store.js';

// What only the Firestore store has to get right; the storage contract
// (firestore-storage.int.spec.ts) and the lease contract cover the shared behaviour.

const POSITION_1 = '0000000000000001';
const POSITION_2 = '0000000000000002';
const POSITION_3 = '0000000000000003';

let target: FirestoreTarget;
let db: Firestore;
const projectId = uniqueFirestoreProjectId('firestore-stores');
let layout: FirestoreLayout;
let clock: ManualClock;
let prefixes = 0;

beforeAll(async () => {
  target = await startFirestoreTarget();
  db = target.client(projectId);
});
afterAll(async () => {
  await target.reset(projectId);
  await target.stop();
});
beforeEach(() => {
  layout = new FirestoreLayout(db, `stores${++prefixes}_`);
  clock = new ManualClock('2026-01-22T12:00:00Z');
});

/** The server's clock now: the read time Firestore reports for a read. */
async function serverNowMs(): Promise<number> {
  return (await db.collection('clock').doc('probe').get()).readTime.toMillis();
}

/** Keys in UTF-8 byte order, the order Firestore and the SQL stores (COLLATE "C") list them in. */
function byteOrder(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

describe('read models on Firestore', () => {
  const awkwardKeys = [
    'a/b',
    'a/b/c',
    'a.b',
    '.',
    '..',
    '%',
    '%2F',
    '__name__',
    '',
    'é',
    '\ud83d\ude00',
    '\uffef',
    'z',
  ];

  it('keeps keys with slashes, dots, percent signs, reserved and unicode forms apart, listed in byte order', async () => {
    const projections = new FirestoreProjectionStore(layout, clock);
    const readModels = new FirestoreReadModels(layout);
    await projections.commit('keys', null, POSITION_1, async (tx) => {
      for (const key of awkwardKeys) {
        await tx.put('by/reason', key, { key });
        await tx.put('by', key, { other: key });
      }
    });

    for (const key of awkwardKeys) {
      expect(await readModels.get('by/reason', key)).toEqual({ key });
      expect(await readModels.get('by', key)).toEqual({ other: key });
    }
    // A list without a prefix ends at U+FFFF, as in the SQL stores, so the emoji key is left out.
    const listed = await readModels.list('by/reason', { limit: 100 });
    expect(listed.map((entry) => entry.key)).toEqual(
      byteOrder(awkwardKeys.filter((key) => key !== '\ud83d\ude00')),
    );
    const underA = await readModels.list('by/reason', { prefix: 'a/', after: 'a/b' });
    expect(underA.map((entry) => entry.key)).toEqual(['a/b/c']);
    const upToDot = await readModels.list('by/reason', { after: '%', until: '..' });
    expect(upToDot.map((entry) => entry.key)).toEqual(['%2F', '.', '..']);
  });

  it('refuses a batch of more than 500 writes before writing anything, and commits 500', async () => {
    const projections = new FirestoreProjectionStore(layout, clock);
    const readModels = new FirestoreReadModels(layout);
    const putMany =
      (count: number) => async (tx: Parameters<Parameters<typeof projections.commit>[3]>[0]) => {
        for (let i = 0; i < count; i++) await tx.put('many', String(i).padStart(4, '0'), { i });
      };

    const error: unknown = await projections.commit('wide', null, POSITION_1, putMany(500)).then(
      () => null,
      (refusal: unknown) => refusal,
    );
    expect(error).toBeInstanceOf(CommitTooLargeError);
    expect(error).toMatchObject({ writes: 501 });
    expect((error as Error).message).toContain('projection wide');
    expect((error as Error).message).toContain('at most 500 writes');
    expect(await readModels.list('many')).toEqual([]);
    expect(await projections.checkpoint('wide')).toBeNull();

    await projections.commit('wide', null, POSITION_1, putMany(499));
    expect(await readModels.list('many', { limit: 1000 })).toHaveLength(499);
    expect(await projections.checkpoint('wide')).toBe(POSITION_1);
  });

  it('refuses a document over the 1 MiB a Firestore document holds, naming it', async () => {
    const projections = new FirestoreProjectionStore(layout, clock);
    await expect(
      projections.commit('huge', null, POSITION_1, async (tx) => {
        await tx.put('blobs', 'big-one', { text: 'x'.repeat(1_100_000) });
      }),
    ).rejects.toThrow(/read model blobs\/big-one is 1100011 bytes as JSON/);
    expect(await projections.checkpoint('huge')).toBeNull();
  });

  it('resets collections larger than one commit, and refuses to build on an unfinished reset', async () => {
    const projections = new FirestoreProjectionStore(layout, clock);
    const readModels = new FirestoreReadModels(layout);
    const positions = [POSITION_1, POSITION_2, POSITION_3];
    let checkpoint: string | null = null;
    for (const [batch, position] of positions.entries()) {
      await projections.commit('big', checkpoint, position, async (tx) => {
        for (let i = 0; i < 400; i++) await tx.put('rows', `${batch}-${i}`, { i });
      });
      checkpoint = position;
    }
    expect(await readModels.list('rows', { limit: 2000 })).toHaveLength(1200);

    await projections.reset('big', ['rows']);
    expect(await readModels.list('rows', { limit: 2000 })).toEqual([]);
    expect(await projections.checkpoint('big')).toBeNull();

    // A reset cut short (the process died between its batches) leaves its mark on the checkpoint.
    await layout
      .collection('checkpoints')
      .doc('big')
      .set({ name: 'big', position: null, resetting: ['rows'], updatedAt: 'then' });
    expect(await projections.checkpoint('big')).toBeNull();
    await expect(projections.commit('big', null, POSITION_1, async () => {})).rejects.toThrow(
      /projection big has an unfinished reset \(collections rows\).*reset \(rebuild\) the projection again/,
    );
    await projections.reset('big', ['rows']);
    await projections.commit('big', null, POSITION_1, async () => {});
    expect(await projections.checkpoint('big')).toBe(POSITION_1);
  });
});

describe('leases on Firestore', () => {
  /**
   * Runs `work` with this process's clock (Date.now and new Date()) 25 years behind: a lease store
   * reading the instance's clock instead of Firestore's would then show it.
   */
  async function withProcessClockSkewed<T>(work: () => Promise<T>): Promise<T> {
    const RealDate = Date;
    const skewedMs = RealDate.now() - 25 * 365 * 86_400_000;
    class SkewedDate extends RealDate {
      constructor(...args: ConstructorParameters<DateConstructor> | []) {
        if (args.length === 0) super(skewedMs);
        else super(...(args as [string | number | Date]));
      }
      static override now(): number {
        return skewedMs;
      }
    }
    globalThis.Date = SkewedDate as DateConstructor;
    try {
      return await work();
    } finally {
      globalThis.Date = RealDate;
    }
  }

  it("takes the time from Firestore's clock: acquired at the server's read time, expiring ttl later", async () => {
    const leases = new FirestoreLeaseStore(layout);
    const before = await serverNowMs();
    expect(await withProcessClockSkewed(() => leases.acquire('projection:x', 'a', 60_000))).toBe(
      true,
    );
    const after = await serverNowMs();

    const [lease] = await leases.list();
    const acquiredMs = Date.parse(lease!.acquiredAt);
    expect(acquiredMs).toBeGreaterThanOrEqual(before);
    expect(acquiredMs).toBeLessThanOrEqual(after);
    expect(Date.parse(lease!.expiresAt)).toBe(acquiredMs + 60_000);
    expect(lease!.renewedAt).toBe(lease!.acquiredAt);
  });

  it("judges expiry by Firestore's clock: a lease lapsed by server time is free, one still running is not", async () => {
    const leases = new FirestoreLeaseStore(layout);
    const other = new FirestoreLeaseStore(
      new FirestoreLayout(target.client(projectId), layout.prefix),
    );
    const nowMs = await serverNowMs();
    const taken = (name: string, expiresAtMs: number) =>
      layout
        .collection('leases')
        .doc(name)
        .set({
          name,
          holder: 'elsewhere',
          expiresAtMs,
          acquiredAt: new Date(nowMs).toISOString(),
          renewedAt: new Date(nowMs).toISOString(),
        });
    await taken('lapsed', nowMs - 1);
    await taken('running', nowMs + 600_000);

    await withProcessClockSkewed(async () => {
      expect(await leases.acquire('lapsed', 'a', 10_000)).toBe(true);
      expect(await other.acquire('running', 'b', 10_000)).toBe(false);
    });
    expect((await leases.list()).map((lease) => [lease.name, lease.holder])).toEqual([
      ['lapsed', 'a'],
      ['running', 'elsewhere'],
    ]);
  });
});

describe('quarantine bodies on Firestore', () => {
  const at = '2026-01-22T12:00:00.000Z';
  const chunkCount = async (id: string) =>
    (
      await layout
        .collection('quarantine_bodies')
        .doc('store')
        .collection('bodies')
        .doc(id)
        .collection('chunks')
        .get()
    ).size;

  it('holds a body over one document in chunks, byte for byte, and drops the chunks with it', async () => {
    const bodies = new FirestoreQuarantineBodies(layout);
    const body = randomBytes(2_500_000);
    expect(await bodies.put('q-big', body, at)).toEqual({ bytes: 2_500_000, bodies: 1 });
    expect(await chunkCount('q-big')).toBe(3);

    const held = await bodies.get('q-big');
    expect(held).toMatchObject({ id: 'q-big', bytes: 2_500_000, receivedAt: at });
    expect(held!.body.equals(body)).toBe(true);

    expect(await bodies.delete('q-big')).toBe(true);
    expect(await bodies.get('q-big')).toBeNull();
    expect(await chunkCount('q-big')).toBe(0);
    expect(await bodies.usage()).toEqual({ bytes: 0, bodies: 0 });
  });

  it(`holds a body of ${QUARANTINE_MAX_BODY_BYTES} bytes and refuses a larger one, storing nothing`, async () => {
    const bodies = new FirestoreQuarantineBodies(layout);
    const largest = randomBytes(QUARANTINE_MAX_BODY_BYTES);
    await bodies.put('q-largest', largest, at);
    expect((await bodies.get('q-largest'))!.body.equals(largest)).toBe(true);

    const error: unknown = await bodies
      .put('q-too-big', Buffer.alloc(QUARANTINE_MAX_BODY_BYTES + 1), at)
      .then(
        () => null,
        (refusal: unknown) => refusal,
      );
    expect(error).toBeInstanceOf(QuarantineBodyTooLargeError);
    expect((error as Error).message).toMatch(
      /quarantined body q-too-big is 4000001 bytes: .* at most 4000000 bytes .*BODY_LIMIT_BYTES/,
    );
    expect(await bodies.get('q-too-big')).toBeNull();
    expect(await bodies.usage()).toEqual({ bytes: QUARANTINE_MAX_BODY_BYTES, bodies: 1 });
  });

  it('evicts chunked bodies oldest first, chunks included', async () => {
    const bodies = new FirestoreQuarantineBodies(layout);
    for (const id of ['q1', 'q2', 'q3']) await bodies.put(id, Buffer.alloc(1_500_000, id), at);
    expect(await bodies.evictOver(2_000_000)).toEqual({ evicted: 2, bytes: 3_000_000 });
    expect(await bodies.get('q1')).toBeNull();
    expect(await bodies.get('q2')).toBeNull();
    expect((await bodies.get('q3'))!.body.equals(Buffer.alloc(1_500_000, 'q3'))).toBe(true);
    expect([await chunkCount('q1'), await chunkCount('q2'), await chunkCount('q3')]).toEqual([
      0, 0, 2,
    ]);
    expect(await bodies.usage()).toEqual({ bytes: 1_500_000, bodies: 1 });
  });
});

describe('timers on Firestore', () => {
  it('lists due timers by due time then id, whatever their ids hold, and only scheduled ones', async () => {
    const events = new FirestoreEventLog(layout, clock, { idempotencyTtlDays: () => 7 });
    const timers = new FirestoreTimerStore(layout, events, clock);
    const timer = (timerId: string, dueAtMs: number) => ({
      timerId,
      streamId: 'phase-keys',
      dueAtMs,
      event: { type: 'DeadlinePassed', data: { timerId } },
    });
    for (const [id, due] of [
      ['b', 100],
      ['a/x', 100],
      ['a', 100],
      ['z', 50],
      ['é', 100],
      ['late', 101],
    ] as const) {
      await timers.schedule(timer(id, due));
    }
    expect((await timers.due(100, 10)).map((t) => t.timerId)).toEqual(['z', 'a', 'a/x', 'b', 'é']);

    await timers.cancel('a');
    expect(await timers.fire('z')).toMatchObject({ streamVersion: 1 });
    expect((await timers.due(100, 10)).map((t) => t.timerId)).toEqual(['a/x', 'b', 'é']);
    expect(await timers.nextDueAtMs()).toBe(100);
    expect(await timers.get('z')).toMatchObject({
      state: 'fired',
      firedAt: '2026-01-22T12:00:00.000Z',
    });
    await events.idle();
  });

  it('refuses a due time Firestore could not order (not whole milliseconds since the epoch)', async () => {
    const events = new FirestoreEventLog(layout, clock, { idempotencyTtlDays: () => 7 });
    const timers = new FirestoreTimerStore(layout, events, clock);
    const event = { type: 'DeadlinePassed', data: {} };
    await expect(
      timers.schedule({ timerId: 't-frac', streamId: 's', dueAtMs: 1.5, event }),
    ).rejects.toThrow(/timer t-frac is due at 1.5: give a due time in whole milliseconds/);
    expect(await timers.get('t-frac')).toBeNull();
  });
});

describe('outbox on Firestore', () => {
  const message = (topic: string, n: number) => ({
    topic,
    messageId: `${topic}:evt-${n}`,
    attributes: { n: String(n) },
    body: { n },
  });

  it('lists deliveries of one topic, not of topics sharing its start, in position order after a cursor', async () => {
    const projections = new FirestoreProjectionStore(layout, clock);
    const outbox = new FirestoreOutboxStore(layout, projections, clock);
    const positions = [POSITION_1, POSITION_2, POSITION_3];
    for (const topic of ['t', 't2', 't"x']) {
      for (const [n, position] of positions.entries()) {
        await outbox.recordFailure(message(topic, n), `evt-${n}`, position, 'down');
      }
    }
    const ofT = await outbox.deliveries({ topic: 't', limit: 10 });
    expect(ofT.map((d) => [d.topic, d.position])).toEqual(positions.map((p) => ['t', p]));
    const afterFirst = await outbox.deliveries({ topic: 't"x', after: POSITION_1, limit: 10 });
    expect(afterFirst.map((d) => d.messageId)).toEqual(['t"x:evt-1', 't"x:evt-2']);
    expect(await outbox.deliveries({ after: POSITION_2, limit: 10 })).toHaveLength(3);
  });

  it('pages embedded messages by 16-digit cursors, per topic, and refuses a cursor it did not hand out', async () => {
    const projections = new FirestoreProjectionStore(layout, clock);
    const outbox = new FirestoreOutboxStore(layout, projections, clock);
    await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        outbox.saveEmbedded(message(n % 2 === 0 ? 'even' : 'odd', n)),
      ),
    );
    const all = await outbox.embeddedMessages({ limit: 10 });
    expect(all.map((m) => m.cursor)).toEqual(
      Array.from({ length: 6 }, (_, n) => String(n + 1).padStart(16, '0')),
    );
    const firstEven = await outbox.embeddedMessages({ topic: 'even', limit: 1 });
    const restEven = await outbox.embeddedMessages({
      topic: 'even',
      after: firstEven[0]!.cursor,
      limit: 10,
    });
    expect([...firstEven, ...restEven].map((m) => m.body)).toEqual([{ n: 0 }, { n: 2 }, { n: 4 }]);
    await expect(outbox.embeddedMessages({ after: '3', limit: 10 })).rejects.toBeInstanceOf(
      InvalidPositionError,
    );
  });
});
