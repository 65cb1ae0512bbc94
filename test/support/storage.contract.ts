import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ManualClock, type Clock } from '../../src/common/clock/clock.js';
import {
  CheckpointConflictError,
  DuplicateEventIdError,
  UnsupportedTextError,
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
  /**
   * Events the bulk read test streams (default 100,000). The Firestore emulator's queries scan the
   * whole collection, so its store names fewer; the memory bound scales with the count.
   */
  bulkEvents?: number;
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
      const total = factory.bulkEvents ?? 100_000;
      for (let batch = 0; batch < total / 1000; batch++) {
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
        if (count % (total / 4) === 0) {
          gc();
          peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - heapBefore);
        }
      }
      expect(count).toBe(total);
      // Keeping every event retained 37 MB here (measured); a paged reader retains about one page.
      expect(peakRetained).toBeLessThan(10 * 1024 * 1024 * (total / 100_000));
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

    it('gives concurrent appends with one key and caller-chosen event ids one winner, the rest its duplicates', async () => {
      // Four instances and twenty events an append widen the window in which appends overlap.
      const stores = [storage];
      for (let i = 0; i < 3; i++) {
        const other = await reopen();
        opened.push(other);
        stores.push(other);
      }
      const ids = Array.from({ length: 20 }, (_, n) => `evt-chosen-${n}`);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          stores[i % stores.length]!.events.append(
            'chosen-ids',
            ids.map((eventId) => ({ type: 'A', data: { i }, eventId })),
            { expectedVersion: 'any', idempotencyKey: 'sub/msg-chosen', fingerprint: 'f' },
          ),
        ),
      );
      const winners = results.filter((r) => !r.duplicate);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.eventIds).toEqual(ids);
      for (const duplicate of results.filter((r) => r.duplicate)) {
        expect(duplicate).toEqual({ ...winners[0], duplicate: true, storedFingerprint: 'f' });
      }
      const stream = await collect(stores[1]!.events.readStream('chosen-ids'));
      expect(stream.map((e) => e.eventId)).toEqual(ids);
    });

    it('refuses a caller-chosen event id already in the log under another key or none, writing nothing', async () => {
      await storage.events.append('ids', [{ type: 'A', data: {}, eventId: 'evt-taken' }], {
        expectedVersion: 'any',
        idempotencyKey: 'first',
      });
      const reuse = [
        { type: 'B', data: {}, eventId: 'evt-fresh' },
        { type: 'B', data: {}, eventId: 'evt-taken' },
      ];
      for (const options of [
        { expectedVersion: 'any', idempotencyKey: 'second' },
        { expectedVersion: 'any' },
      ] as const) {
        const error = await storage.events.append('reuse', reuse, options).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect((error as DuplicateEventIdError).eventId).toBe('evt-taken');
      }
      expect(await storage.events.streamVersion('reuse')).toBe(0);
      // The refused key was not recorded: the same key with fresh ids writes.
      const fresh = await storage.events.append(
        'reuse',
        [{ type: 'B', data: {}, eventId: 'evt-new' }],
        { expectedVersion: 'any', idempotencyKey: 'second' },
      );
      expect(fresh.duplicate).toBe(false);
      expect(await storage.events.streamVersion('reuse')).toBe(1);
    });

    it('reads one live key back (written, expiry, fingerprint, result) and counts the live keys', async () => {
      const written = await storage.events.appendMulti(
        [
          { streamId: 'read-a', events: events(2), expectedVersion: 'any' },
          { streamId: 'read-b', events: events(1), expectedVersion: 'any' },
        ],
        { idempotencyKey: 'push:scores:projects/p/subscriptions/s/42', fingerprint: 'sha-read' },
      );
      await storage.events.append('read-c', [], { expectedVersion: 'any', idempotencyKey: 'bare' });
      clock.advanceMs(DAY_MS);
      const key = await storage.events.readIdempotencyKey(
        'push:scores:projects/p/subscriptions/s/42',
      );
      expect(key).toEqual({
        key: 'push:scores:projects/p/subscriptions/s/42',
        result: {
          streams: written.streams,
          firstPosition: written.firstPosition,
          lastPosition: written.lastPosition,
        },
        fingerprint: 'sha-read',
        writtenAt: '2026-01-22T12:00:00.000Z',
        expiresAt: '2026-01-29T12:00:00.000Z',
      });
      expect((await storage.events.readIdempotencyKey('bare'))?.fingerprint).toBeNull();
      expect(await storage.events.readIdempotencyKey('never-written')).toBeNull();
      expect(await storage.events.countLiveIdempotencyKeys()).toBe(2);
      // Expired keys are neither read nor counted, and reading does not delete them.
      clock.advanceMs(6 * DAY_MS);
      expect(await storage.events.readIdempotencyKey('bare')).toBeNull();
      expect(await storage.events.countLiveIdempotencyKeys()).toBe(0);
      expect(await storage.events.purgeExpiredIdempotencyKeys()).toBe(2);
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

  describe('quarantine bodies', () => {
    const bodyOf = (n: number, size: number) => Buffer.alloc(size, n % 256);
    const at = '2026-01-22T12:00:00.000Z';
    const putAll = async (store: Storage, count: number, size: number, prefix = 'q') => {
      for (let i = 0; i < count; i++) {
        await store.quarantineBodies.put(
          `${prefix}${String(i).padStart(4, '0')}`,
          bodyOf(i, size),
          at,
        );
      }
    };
    const heldIds = async (store: Storage, ids: readonly string[]) => {
      const held: string[] = [];
      for (const id of ids) if (await store.quarantineBodies.get(id)) held.push(id);
      return held;
    };

    it('holds bodies byte for byte with a running total; a second put under an id keeps the first', async () => {
      const binary = Buffer.from([0, 1, 0xff, 0xfe, 0x00, 0x7f, 0x80]);
      expect(await storage.quarantineBodies.usage()).toEqual({ bytes: 0, bodies: 0 });
      expect(await storage.quarantineBodies.put('q-bin', binary, at)).toEqual({
        bytes: 7,
        bodies: 1,
      });
      expect(await storage.quarantineBodies.put('q-text', Buffer.from('hello'), at)).toEqual({
        bytes: 12,
        bodies: 2,
      });
      expect(await storage.quarantineBodies.put('q-bin', Buffer.from('other'), at)).toEqual({
        bytes: 12,
        bodies: 2,
      });
      const held = await storage.quarantineBodies.get('q-bin');
      expect(held).toEqual({ id: 'q-bin', body: binary, bytes: 7, receivedAt: at });
      expect(Buffer.isBuffer(held!.body)).toBe(true);
      expect(await storage.quarantineBodies.get('q-none')).toBeNull();

      expect(await storage.quarantineBodies.delete('q-bin')).toBe(true);
      expect(await storage.quarantineBodies.delete('q-bin')).toBe(false);
      expect(await storage.quarantineBodies.get('q-bin')).toBeNull();
      expect(await storage.quarantineBodies.usage()).toEqual({ bytes: 5, bodies: 1 });
    });

    it('evicts the oldest bodies until the total is at most the cap, and counts them', async () => {
      const ids = Array.from({ length: 10 }, (_, i) => `q${String(i).padStart(4, '0')}`);
      await putAll(storage, 10, 100);
      expect(await storage.quarantineBodies.evictOver(1000)).toEqual({ evicted: 0, bytes: 0 });
      expect(await storage.quarantineBodies.evictOver(450)).toEqual({ evicted: 6, bytes: 600 });
      expect(await storage.quarantineBodies.usage()).toEqual({ bytes: 400, bodies: 4 });
      expect(await heldIds(storage, ids)).toEqual(ids.slice(6));
      expect(storage.quarantineBodies.stats.evictions).toBe(6);
      expect(storage.quarantineBodies.stats.evictedBytes).toBe(600);
      expect(await storage.quarantineBodies.evictOver(450)).toEqual({ evicted: 0, bytes: 0 });
    });

    it('evicts more bodies than one short transaction takes, down to an empty store', async () => {
      await putAll(storage, 600, 10);
      expect(await storage.quarantineBodies.usage()).toEqual({ bytes: 6000, bodies: 600 });
      expect(await storage.quarantineBodies.evictOver(0)).toEqual({ evicted: 600, bytes: 6000 });
      expect(await storage.quarantineBodies.usage()).toEqual({ bytes: 0, bodies: 0 });
    });

    it('keeps bodies and the total across a restart', async () => {
      await putAll(storage, 3, 50);
      await storage.close();
      const again = await reopen();
      opened.push(again);
      expect(await again.quarantineBodies.usage()).toEqual({ bytes: 150, bodies: 3 });
      expect((await again.quarantineBodies.get('q0002'))!.body).toEqual(bodyOf(2, 50));
    });

    it('keeps the total exact when two instances put, drop and evict at once', async () => {
      const other = await reopen();
      opened.push(other);
      const ids: string[] = [];
      // As pushes do: put, then evict when that put went over the cap; some orphans dropped.
      const push = async (store: Storage, id: string, size: number) => {
        const n = ids.push(id);
        const usage = await store.quarantineBodies.put(id, bodyOf(n, size), at);
        if (usage.bytes > 700) await store.quarantineBodies.evictOver(700);
        if (n % 7 === 0) await store.quarantineBodies.delete(ids[n - 3]!);
      };
      await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          i % 2 === 0 ? push(storage, `a${i}`, 30) : push(other, `b${i}`, 20 + (i % 5)),
        ),
      );
      let bytes = 0;
      let bodies = 0;
      for (const id of ids) {
        const held = await other.quarantineBodies.get(id);
        if (held) {
          bytes += held.bytes;
          bodies += 1;
        }
      }
      expect(await storage.quarantineBodies.usage()).toEqual({ bytes, bodies });
      expect(bytes).toBeLessThanOrEqual(700);
      expect(bodies).toBeGreaterThan(10);
    });
  });

  // PostgreSQL cannot hold U+0000 in text or jsonb, nor a lone surrogate in jsonb; SQLite would
  // keep both and break the other store's read models later. Both refuse them alike.
  describe('stored text', () => {
    const NUL = '\u0000';
    const LONE_HIGH = '\ud83d';
    const LONE_LOW = '\ude00';
    type BadAppend = { streamId: string; event: NewEvent; key: string };
    const good = (): BadAppend => ({
      streamId: 'text-s',
      event: { type: 'Named', data: { name: 'ok' } },
      key: 'text-key',
    });
    const cases: Array<[what: string, path: string, bad: BadAppend]> = [
      [
        'NUL in data',
        'events[0].data.name',
        { ...good(), event: { type: 'Named', data: { name: `a${NUL}b` } } },
      ],
      [
        'a lone surrogate deep in data',
        'events[0].data.list[1].deep',
        { ...good(), event: { type: 'Named', data: { list: ['ok', { deep: `x${LONE_HIGH}` }] } } },
      ],
      [
        'a lone low surrogate in a data key',
        'events[0].data (a key)',
        { ...good(), event: { type: 'Named', data: { [`k${LONE_LOW}`]: 1 } } },
      ],
      [
        'NUL in metadata',
        'events[0].metadata.correlationId',
        { ...good(), event: { type: 'Named', data: {}, metadata: { correlationId: NUL } } },
      ],
      [
        'NUL in the event type',
        'events[0].type',
        { ...good(), event: { type: `T${NUL}`, data: {} } },
      ],
      [
        'a lone surrogate in a caller-chosen event id',
        'events[0].eventId',
        { ...good(), event: { eventId: `e${LONE_HIGH}`, type: 'Named', data: {} } },
      ],
      ['NUL in the stream id', 'streamId', { ...good(), streamId: `text${NUL}s` }],
      ['NUL in the idempotency key', 'idempotencyKey', { ...good(), key: `sub/${NUL}` }],
    ];

    it.each(cases)(
      'refuses %s in append and appendMulti alike, writing nothing',
      async (_what, path, bad) => {
        await storage.events.append('text-s', events(1), { expectedVersion: 'no-stream' });
        const head = await storage.events.head();
        const attempts = [
          storage.events.append(bad.streamId, [bad.event], {
            expectedVersion: 'any',
            idempotencyKey: bad.key,
          }),
          storage.events.appendMulti(
            [
              { streamId: bad.streamId, events: [bad.event], expectedVersion: 'any' },
              { streamId: 'text-other', events: events(2), expectedVersion: 'any' },
            ],
            { idempotencyKey: bad.key },
          ),
        ];
        for (const attempt of attempts) {
          const error: unknown = await attempt.then(
            () => new Error('the append was accepted'),
            (refusal: unknown) => refusal,
          );
          expect(error).toBeInstanceOf(UnsupportedTextError);
          expect(error).toMatchObject({ streamId: bad.streamId, path });
          expect((error as Error).message).toContain('U+0000 or an unpaired UTF-16 surrogate');
        }

        expect(await storage.events.head()).toBe(head);
        expect(await storage.events.streamVersion('text-s')).toBe(1);
        expect(await storage.events.streamVersion('text-other')).toBe(0);
        // The key was not recorded either: the valid retry under it has its effect.
        const retry = await storage.events.append('text-s', [good().event], {
          expectedVersion: 1,
          idempotencyKey: 'text-key',
        });
        expect(retry).toMatchObject({ duplicate: false, streamVersion: 2 });
        const stream = await collect(storage.events.readStream('text-s'));
        expect(stream.map((event) => event.data)).toEqual([{ n: 0 }, { name: 'ok' }]);
      },
    );

    it('refuses a timer whose event it could not hold, scheduling nothing', async () => {
      const timer = {
        timerId: 'text-timer',
        streamId: 'phase-text',
        dueAtMs: 0,
        event: { type: 'DeadlinePassed', data: { note: `late${NUL}` } },
      };
      await expect(storage.timers.schedule(timer)).rejects.toMatchObject({
        name: 'UnsupportedTextError',
        path: 'event.data.note',
      });
      expect(await storage.timers.get('text-timer')).toBeNull();
      expect(await storage.timers.nextDueAtMs()).toBeNull();
    });

    it('keeps well-formed text exactly, surrogate pairs and control characters included', async () => {
      const text = `emoji \ud83d\ude00, tab\t, bell\u0007, U+FFFF \uffff, e\u0301`;
      await storage.events.append(
        'text-kept',
        [
          {
            eventId: `id-${text}`,
            type: 'Named',
            data: { [text]: text },
            metadata: { note: text },
          },
        ],
        { expectedVersion: 'no-stream', idempotencyKey: `key-${text}` },
      );
      const [event] = await collect(storage.events.readStream('text-kept'));
      expect(event).toMatchObject({
        eventId: `id-${text}`,
        data: { [text]: text },
        metadata: { note: text },
      });
      const again = await storage.events.append('text-kept', events(1), {
        expectedVersion: 'any',
        idempotencyKey: `key-${text}`,
      });
      expect(again.duplicate).toBe(true);
    });
  });
}
