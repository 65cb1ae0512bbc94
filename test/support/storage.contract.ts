import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ManualClock, type Clock } from '../../src/common/clock/clock.js';
import {
  CheckpointConflictError,
  WrongExpectedVersionError,
  type NewEvent,
  type Storage,
} from '../../src/common/event-store/index.js';

export interface StorageFactory {
  name: string;
  create(
    clock: Clock,
    options?: { idempotencyTtlDays?: number },
  ): Promise<{ storage: Storage; reopen: () => Promise<Storage> }>;
  dispose(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** A full garbage collection, so heap figures show what is retained rather than garbage not yet collected. */
function forcedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function events(count: number, type = 'ThingHappened', offset = 0): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({ type, data: { n: offset + i } }));
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The behaviour every storage adapter must show; each adapter's spec calls this with its factory. */
export function describeStorageContract(makeFactory: () => StorageFactory): void {
  let factory: StorageFactory;
  let clock: ManualClock;
  let storage: Storage;
  let reopen: () => Promise<Storage>;
  const opened: Storage[] = [];

  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(async () => {
    await factory.dispose();
  });
  beforeEach(async () => {
    clock = new ManualClock('2026-01-22T12:00:00Z');
    ({ storage, reopen } = await factory.create(clock, { idempotencyTtlDays: 7 }));
    opened.push(storage);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describe('append and read', () => {
    it('numbers stream versions from 1 and positions in log order', async () => {
      const first = await storage.events.append('game-2026-01-22', events(2), {
        expectedVersion: 'no-stream',
      });
      const second = await storage.events.append('batch-b1', events(1), {
        expectedVersion: 'no-stream',
      });
      const third = await storage.events.append('game-2026-01-22', events(1, 'Other', 2), {
        expectedVersion: 2,
      });

      expect(first).toMatchObject({ streamVersion: 2, duplicate: false });
      expect(third.streamVersion).toBe(3);
      expect(first.firstPosition! < first.lastPosition!).toBe(true);
      expect(first.lastPosition! < second.firstPosition!).toBe(true);
      expect(second.lastPosition! < third.firstPosition!).toBe(true);

      const stream = await collect(storage.events.readStream('game-2026-01-22'));
      expect(stream.map((e) => [e.streamVersion, e.type, e.data])).toEqual([
        [1, 'ThingHappened', { n: 0 }],
        [2, 'ThingHappened', { n: 1 }],
        [3, 'Other', { n: 2 }],
      ]);
      expect(stream[0]!.recordedAt).toBe('2026-01-22T12:00:00.000Z');
      expect(await storage.events.streamVersion('game-2026-01-22')).toBe(3);
      expect(await storage.events.streamVersion('nothing-here')).toBe(0);
    });

    it('keeps metadata and caller-chosen event ids', async () => {
      await storage.events.append(
        's1',
        [
          {
            eventId: 'evt-1',
            type: 'A',
            data: { x: 1 },
            metadata: { correlationId: 'c1', messageId: 'm1', source: 'test', extra: 5 },
          },
        ],
        { expectedVersion: 'any' },
      );
      const [event] = await collect(storage.events.readAll());
      expect(event).toMatchObject({
        eventId: 'evt-1',
        streamId: 's1',
        metadata: { correlationId: 'c1', messageId: 'm1', source: 'test', extra: 5 },
      });
    });

    it('reads the log after a checkpoint, up to a position, by type, with a limit', async () => {
      await storage.events.append('a', events(3, 'A'), { expectedVersion: 'any' });
      await storage.events.append('b', events(3, 'B'), { expectedVersion: 'any' });
      const all = await collect(storage.events.readAll());
      expect(all).toHaveLength(6);

      const afterThird = await collect(storage.events.readAll({ after: all[2]!.position }));
      expect(afterThird.map((e) => e.streamId)).toEqual(['b', 'b', 'b']);
      const onlyB = await collect(storage.events.readAll({ types: ['B'], limit: 2 }));
      expect(onlyB.map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
      const untilSecond = await collect(storage.events.readAll({ until: all[1]!.position }));
      expect(untilSecond).toHaveLength(2);
      expect(await storage.events.head()).toBe(all[5]!.position);
      expect(await storage.events.distance(all[2]!.position, all[5]!.position)).toBe(3);
      expect(await storage.events.distance(null, all[5]!.position)).toBe(6);
    });

    it('streams 100,000 events in order with bounded memory', async () => {
      for (let batch = 0; batch < 100; batch++) {
        await storage.events.append(`bulk-${batch % 10}`, events(1000, 'Bulk', batch * 1000), {
          expectedVersion: 'any',
        });
      }
      const gc = forcedGc();
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let count = 0;
      let previous = '';
      let peakRetained = 0;
      for await (const event of storage.events.readAll({ pageSize: 500 })) {
        if (event.position <= previous) throw new Error(`out of order at ${event.position}`);
        previous = event.position;
        count += 1;
        if (count % 25_000 === 0) {
          gc();
          peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - heapBefore);
        }
      }
      expect(count).toBe(100_000);
      // Keeping every event retained 37 MB here (measured); a paged reader retains about one page.
      expect(peakRetained).toBeLessThan(10 * 1024 * 1024);
    });
  });

  describe('optimistic concurrency', () => {
    it('rejects a wrong expected version with the actual version and writes nothing', async () => {
      await storage.events.append('s', events(2), { expectedVersion: 'no-stream' });
      const attempts = [
        storage.events.append('s', events(1), { expectedVersion: 'no-stream' }),
        storage.events.append('s', events(1), { expectedVersion: 1 }),
        storage.events.append('s', events(1), { expectedVersion: 3 }),
      ];
      for (const attempt of attempts) {
        const error = await attempt.then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect((error as WrongExpectedVersionError).actualVersion).toBe(2);
      }
      expect(await storage.events.streamVersion('s')).toBe(2);
      await expect(
        storage.events.append('s', events(1), { expectedVersion: 'any' }),
      ).resolves.toMatchObject({
        streamVersion: 3,
      });
    });

    it('lets exactly one of two concurrent writers at the same version win', async () => {
      await storage.events.append('race', events(1), { expectedVersion: 'no-stream' });
      const results = await Promise.allSettled([
        storage.events.append('race', events(1, 'X'), { expectedVersion: 1 }),
        storage.events.append('race', events(1, 'Y'), { expectedVersion: 1 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(await storage.events.streamVersion('race')).toBe(2);
    });

    it('keeps concurrent appends independent: one failing does not take the others with it', async () => {
      await storage.events.append('held', events(1), { expectedVersion: 'no-stream' });
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          i === 25
            ? storage.events.append('held', events(1), { expectedVersion: 'no-stream' })
            : storage.events.append(`c-${i}`, events(1), {
                expectedVersion: 'no-stream',
                idempotencyKey: `c-${i}`,
              }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect((results[25] as PromiseRejectedResult).reason).toBeInstanceOf(
        WrongExpectedVersionError,
      );
      expect(await collect(storage.events.readAll())).toHaveLength(50);
    });

    it('writes no part of an append that fails midway', async () => {
      await storage.events.append('x', [{ eventId: 'taken', type: 'A', data: {} }], {
        expectedVersion: 'any',
      });
      await expect(
        storage.events.append(
          'y',
          [
            { eventId: 'fresh-1', type: 'A', data: {} },
            { eventId: 'taken', type: 'A', data: {} },
          ],
          { expectedVersion: 'any', idempotencyKey: 'k-partial' },
        ),
      ).rejects.toThrow();
      expect(await storage.events.streamVersion('y')).toBe(0);
      // The key was not kept either: a retry of the message is processed normally.
      const retry = await storage.events.append(
        'y',
        [{ eventId: 'fresh-1', type: 'A', data: {} }],
        {
          expectedVersion: 'any',
          idempotencyKey: 'k-partial',
        },
      );
      expect(retry).toMatchObject({ duplicate: false, streamVersion: 1 });
    });
  });

  describe('multi-stream appends', () => {
    it('writes several streams atomically under one key', async () => {
      await storage.events.append('batch-date-2026-01-22', events(1), {
        expectedVersion: 'no-stream',
      });
      const result = await storage.events.appendMulti(
        [
          { streamId: 'batch-b1', events: events(2), expectedVersion: 'no-stream' },
          { streamId: 'batch-date-2026-01-22', events: events(1, 'Opened'), expectedVersion: 1 },
        ],
        { idempotencyKey: 'create-b1', fingerprint: 'f1' },
      );
      expect(result.streams.map((s) => [s.streamId, s.streamVersion, s.eventIds.length])).toEqual([
        ['batch-b1', 2, 2],
        ['batch-date-2026-01-22', 2, 1],
      ]);
      const again = await storage.events.appendMulti(
        [{ streamId: 'batch-b1', events: events(2), expectedVersion: 'no-stream' }],
        { idempotencyKey: 'create-b1', fingerprint: 'f2' },
      );
      expect(again).toEqual({ ...result, duplicate: true, storedFingerprint: 'f1' });
      expect(await collect(storage.events.readAll())).toHaveLength(4);
    });

    it('writes nothing when one stream is not at its expected version', async () => {
      await storage.events.append('date', events(1), { expectedVersion: 'no-stream' });
      const error = await storage.events
        .appendMulti([
          { streamId: 'fresh', events: events(3), expectedVersion: 'no-stream' },
          { streamId: 'date', events: events(1), expectedVersion: 'no-stream' },
        ])
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect((error as WrongExpectedVersionError).streamId).toBe('date');
      expect(await storage.events.streamVersion('fresh')).toBe(0);
    });

    it('rejects the same stream twice in one append', async () => {
      await expect(
        storage.events.appendMulti([
          { streamId: 's', events: events(1), expectedVersion: 'any' },
          { streamId: 's', events: events(1), expectedVersion: 'any' },
        ]),
      ).rejects.toThrow(/names stream s twice/);
    });
  });

  describe('idempotency keys', () => {
    it('writes once for the same key and returns the original result marked duplicate', async () => {
      const first = await storage.events.append('s', events(2), {
        expectedVersion: 'any',
        idempotencyKey: 'sub/msg-1',
        fingerprint: 'sha-a',
      });
      const second = await storage.events.append('s', events(2), {
        expectedVersion: 'any',
        idempotencyKey: 'sub/msg-1',
        fingerprint: 'sha-b',
      });
      expect(first.duplicate).toBe(false);
      expect(second).toEqual({ ...first, duplicate: true, storedFingerprint: 'sha-a' });
      expect(await collect(storage.events.readAll())).toHaveLength(2);
    });

    it('records a key with no events (a message handled with no effect)', async () => {
      await storage.events.append('s', [], { expectedVersion: 'any', idempotencyKey: 'noop' });
      const again = await storage.events.append('s', events(1), {
        expectedVersion: 'any',
        idempotencyKey: 'noop',
      });
      expect(again.duplicate).toBe(true);
      expect(await storage.events.head()).toBeNull();
    });

    it('does not honour an expired key even before the purge, and the purge removes it', async () => {
      await storage.events.append('s', events(1), { expectedVersion: 'any', idempotencyKey: 'k' });
      await storage.events.append('s', events(1), { expectedVersion: 'any', idempotencyKey: 'k2' });
      clock.advanceMs(7 * DAY_MS - 1);
      expect(
        (
          await storage.events.append('s', events(1), {
            expectedVersion: 'any',
            idempotencyKey: 'k',
          })
        ).duplicate,
      ).toBe(true);
      clock.advanceMs(2);
      const late = await storage.events.append('s', events(1), {
        expectedVersion: 'any',
        idempotencyKey: 'k',
      });
      expect(late.duplicate).toBe(false);
      expect(await storage.events.streamVersion('s')).toBe(3);
      // k was replaced by a fresh key; k2 is expired and purged.
      expect(await storage.events.purgeExpiredIdempotencyKeys()).toBe(1);
      const k2Again = await storage.events.append('s', events(1), {
        expectedVersion: 'any',
        idempotencyKey: 'k2',
      });
      expect(k2Again.duplicate).toBe(false);
    });

    it('gives concurrent appends with one key exactly one effect', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          storage.events.append('s', events(1), { expectedVersion: 'any', idempotencyKey: 'same' }),
        ),
      );
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await storage.events.streamVersion('s')).toBe(1);
    });
  });

  describe('projections', () => {
    it('commits read-model changes with the checkpoint, and rejects a stale checkpoint', async () => {
      const { lastPosition } = await storage.events.append('s', events(2), {
        expectedVersion: 'any',
      });
      await storage.projections.commit('counter', null, lastPosition!, async (tx) => {
        await tx.put('counts', 'total', { n: 2 });
      });
      expect(await storage.projections.checkpoint('counter')).toBe(lastPosition);
      expect(await storage.readModels.get('counts', 'total')).toEqual({ n: 2 });

      const stale = storage.projections.commit('counter', null, lastPosition!, async (tx) => {
        await tx.put('counts', 'total', { n: 99 });
      });
      await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
      expect(await storage.readModels.get('counts', 'total')).toEqual({ n: 2 });
    });

    it('rolls back read-model changes and checkpoint when the handler throws', async () => {
      const { lastPosition } = await storage.events.append('s', events(1), {
        expectedVersion: 'any',
      });
      await expect(
        storage.projections.commit('p', null, lastPosition!, async (tx) => {
          await tx.put('docs', 'a', { v: 1 });
          throw new Error('handler broke');
        }),
      ).rejects.toThrow('handler broke');
      expect(await storage.projections.checkpoint('p')).toBeNull();
      expect(await storage.readModels.get('docs', 'a')).toBeNull();
    });

    it('lists documents by prefix and cursor, and resets a projection', async () => {
      const { lastPosition } = await storage.events.append('s', events(1), {
        expectedVersion: 'any',
      });
      await storage.projections.commit('p', null, lastPosition!, async (tx) => {
        for (const key of ['2026-01-20', '2026-01-21', '2026-01-22', '2026-02-01']) {
          await tx.put('phases', key, { key });
        }
        await tx.put('other', 'x', { key: 'x' });
        await tx.delete('phases', '2026-02-01');
      });
      const january = await storage.readModels.list('phases', {
        prefix: '2026-01',
        after: '2026-01-20',
      });
      expect(january.map((d) => d.key)).toEqual(['2026-01-21', '2026-01-22']);
      const bounded = await storage.readModels.list('phases', { until: '2026-01-21', limit: 10 });
      expect(bounded.map((d) => d.key)).toEqual(['2026-01-20', '2026-01-21']);

      await storage.projections.reset('p', ['phases']);
      expect(await storage.readModels.list('phases')).toEqual([]);
      expect(await storage.readModels.get('other', 'x')).toEqual({ key: 'x' });
      expect(await storage.projections.checkpoint('p')).toBeNull();
    });
  });

  describe('timers', () => {
    const deadline = (id: string, dueAtMs: number) => ({
      timerId: id,
      streamId: 'phase-2026-01-22',
      dueAtMs,
      event: { type: 'DeadlinePassed', data: { timer: id } } as NewEvent,
    });

    it('schedules idempotently, reports due timers, and fires each exactly once', async () => {
      const now = clock.now().getTime();
      await storage.timers.schedule(deadline('t1', now + 1000));
      await storage.timers.schedule(deadline('t1', now + 999_999));
      await storage.timers.schedule(deadline('t2', now + 5000));
      expect(await storage.timers.nextDueAtMs()).toBe(now + 1000);
      expect(await storage.timers.due(now, 10)).toEqual([]);
      expect((await storage.timers.due(now + 1000, 10)).map((t) => t.timerId)).toEqual(['t1']);

      const fired = await Promise.all([storage.timers.fire('t1'), storage.timers.fire('t1')]);
      expect(fired.filter((r) => r !== null)).toHaveLength(1);
      expect(await storage.timers.fire('t1')).toBeNull();
      const stream = await collect(storage.events.readStream('phase-2026-01-22'));
      expect(stream.map((e) => e.data)).toEqual([{ timer: 't1' }]);
      expect(await storage.timers.get('t1')).toMatchObject({ state: 'fired' });
    });

    it('does not fire a cancelled timer', async () => {
      await storage.timers.schedule(deadline('t3', 0));
      expect(await storage.timers.cancel('t3')).toBe(true);
      expect(await storage.timers.cancel('t3')).toBe(false);
      expect(await storage.timers.fire('t3')).toBeNull();
      expect(await storage.events.head()).toBeNull();
    });

    it('keeps timers across a restart', async () => {
      await storage.timers.schedule(deadline('t4', 42));
      await storage.close();
      const again = await reopen();
      opened.push(again);
      expect((await again.timers.due(42, 10)).map((t) => t.timerId)).toEqual(['t4']);
    });
  });

  describe('outbox', () => {
    it('records failures and deliveries, moving the checkpoint with the delivery', async () => {
      const { lastPosition, eventIds } = await storage.events.append('s', events(1), {
        expectedVersion: 'any',
      });
      const message = {
        topic: 't',
        messageId: `t:${eventIds[0]}`,
        attributes: { a: '1' },
        body: { x: 1 },
      };
      expect(
        await storage.outbox.recordFailure(message, eventIds[0]!, lastPosition!, 'broker down'),
      ).toBe(1);
      expect(
        await storage.outbox.recordFailure(message, eventIds[0]!, lastPosition!, 'broker down'),
      ).toBe(2);
      await storage.outbox.recordDelivery(message, eventIds[0]!, lastPosition!, {
        name: 'outbox:t',
        expected: null,
      });
      const [delivery] = await storage.outbox.deliveries({ topic: 't', limit: 10 });
      expect(delivery).toMatchObject({
        messageId: message.messageId,
        attempts: 3,
        lastError: 'broker down',
      });
      expect(delivery!.deliveredAt).not.toBeNull();
      expect(await storage.projections.checkpoint('outbox:t')).toBe(lastPosition);

      await storage.outbox.saveEmbedded(message);
      const [embedded] = await storage.outbox.embeddedMessages({ topic: 't', limit: 10 });
      expect(embedded).toMatchObject({
        messageId: message.messageId,
        attributes: { a: '1' },
        body: { x: 1 },
      });
    });
  });

  // Two Storage instances on one store are two Shotclock instances: nothing in-process
  // (SQLite's mutex, PostgreSQL's pool) serialises them, only the store itself.
  describe('two instances on one store', () => {
    const secondInstance = async () => {
      const other = await reopen();
      opened.push(other);
      return other;
    };

    it('lets exactly one of two instances appending at the same version win', async () => {
      const other = await secondInstance();
      await storage.events.append('shared', events(1), { expectedVersion: 'no-stream' });
      const results = await Promise.allSettled([
        storage.events.append('shared', events(2, 'X'), { expectedVersion: 1 }),
        other.events.append('shared', events(2, 'Y'), { expectedVersion: 1 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [rejected] = results.filter((r) => r.status === 'rejected');
      expect(rejected!.reason).toBeInstanceOf(WrongExpectedVersionError);
      expect((rejected!.reason as WrongExpectedVersionError).actualVersion).toBe(3);
      const stream = await collect(other.events.readStream('shared'));
      expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
      expect(new Set(stream.slice(1).map((e) => e.type)).size).toBe(1);
    });

    it('gives the same idempotency key from two instances at once exactly one effect', async () => {
      const other = await secondInstance();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          (i % 2 === 0 ? storage : other).events.append('keyed', events(1), {
            expectedVersion: 'any',
            idempotencyKey: 'sub/msg-shared',
            fingerprint: 'f',
          }),
        ),
      );
      const effects = results.filter((r) => !r.duplicate);
      expect(effects).toHaveLength(1);
      for (const duplicate of results.filter((r) => r.duplicate)) {
        expect(duplicate).toEqual({ ...effects[0], duplicate: true, storedFingerprint: 'f' });
      }
      expect(await collect(storage.events.readAll())).toHaveLength(1);
    });

    it('fires a timer once when two instances fire it at once', async () => {
      const other = await secondInstance();
      await storage.timers.schedule({
        timerId: 'shared-deadline',
        streamId: 'phase-shared',
        dueAtMs: 0,
        event: { type: 'DeadlinePassed', data: {} },
      });
      const fired = await Promise.all([
        storage.timers.fire('shared-deadline'),
        other.timers.fire('shared-deadline'),
        storage.timers.fire('shared-deadline'),
        other.timers.fire('shared-deadline'),
      ]);
      expect(fired.filter((r) => r !== null)).toHaveLength(1);
      expect(await collect(storage.events.readStream('phase-shared'))).toHaveLength(1);
      expect(await other.timers.get('shared-deadline')).toMatchObject({ state: 'fired' });
    });

    it('appends from both instances to different streams concurrently, all readable in order', async () => {
      const other = await secondInstance();
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? storage : other).events.append(`w-${i}`, events(3), {
            expectedVersion: 'no-stream',
          }),
        ),
      );
      const all = await collect(other.events.readAll({ pageSize: 7 }));
      expect(all).toHaveLength(120);
      const positions = all.map((e) => e.position);
      expect([...positions].sort()).toEqual(positions);
      expect(new Set(positions).size).toBe(120);
      expect(await storage.events.head()).toBe(positions.at(-1));
      expect(await storage.events.distance(null, positions.at(-1)!)).toBe(120);
    });
  });

  it('answers a ping', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });
}
