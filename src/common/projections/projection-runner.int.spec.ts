import { ManualClock } from '../clock/clock.js';
import type { Storage } from '../event-store/index.js';
import { STORAGE_FACTORIES } from '../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../test/support/storage.contract.js';
import { eventually, fastTiming } from '../../../test/support/test-timing.js';
import type { ProjectionDefinition } from './projection-definition.js';
import { ProjectionRunner } from './projection-runner.js';
import { STREAM_SUMMARIES, streamSummaryProjection } from './stream-summary.projection.js';

const countingProjection = (name: string, onEvent?: (n: number) => void): ProjectionDefinition => ({
  name,
  eventTypes: ['Counted'],
  collections: [`${name}-counts`],
  async apply(event, tx) {
    const doc = (await tx.get<{ n: number }>(`${name}-counts`, event.streamId)) ?? { n: 0 };
    onEvent?.((event.data as { n: number }).n);
    await tx.put(`${name}-counts`, event.streamId, { n: doc.n + 1 });
  },
});

describe.each(STORAGE_FACTORIES)('ProjectionRunner on %s', (_adapter, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  let runner: ProjectionRunner;

  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(() => factory.dispose());
  beforeEach(async () => {
    ({ storage } = await factory.create(new ManualClock()));
    runner = new ProjectionRunner(storage, fastTiming);
  });
  afterEach(async () => {
    await runner.stopAll();
    await storage.close();
  });

  const append = (stream: string, type: string, n: number) =>
    storage.events.append(stream, [{ type, data: { n } }], { expectedVersion: 'any' });

  it('applies a catch-up whose read-model writes outgrow one transaction (Firestore: 500) in smaller batches', async () => {
    const events = 1200;
    const perDocument: ProjectionDefinition = {
      name: 'per-event',
      eventTypes: ['Counted'],
      collections: ['per-event-docs'],
      async apply(event, tx) {
        await tx.put(
          'per-event-docs',
          `doc-${String((event.data as { n: number }).n).padStart(4, '0')}`,
          {
            position: event.position,
          },
        );
      },
    };
    for (let first = 0; first < events; first += 100) {
      await storage.events.append(
        'many',
        Array.from({ length: 100 }, (_, i) => ({ type: 'Counted', data: { n: first + i } })),
        { expectedVersion: 'any' },
      );
    }
    runner.register(perDocument);
    runner.onApplicationBootstrap();
    await runner.waitFor('per-event', (await storage.events.head())!, 60_000);
    const docs = await storage.readModels.list('per-event-docs', { limit: events + 1 });
    expect(docs.map(({ key }) => key)).toEqual(
      Array.from({ length: events }, (_, n) => `doc-${String(n).padStart(4, '0')}`),
    );
    expect(await runner.status('per-event')).toMatchObject({
      last_error: null,
      failed_attempts: 0,
    });
  }, 90_000);

  it('moves past unrelated appends in memory, persisting that lead only now and then and on stop', async () => {
    const slowPersist = { ...fastTiming, skipCheckpointIntervalMs: 60_000 };
    runner = new ProjectionRunner(storage, slowPersist);
    runner.register(countingProjection('counter'));
    await append('a', 'Counted', 1);
    runner.onApplicationBootstrap();
    await eventually(async () => (await runner.status('counter')).lag === 0, 'caught up');
    const afterCounted = await storage.projections.checkpoint('counter');

    for (let n = 0; n < 20; n++) await append('other', 'Ignored', n);
    const head = await storage.events.head();
    await eventually(async () => (await runner.status('counter')).checkpoint === head, 'skipped');
    // Reported at the head (lag 0, so readiness holds), yet nothing was written for 20 appends.
    expect((await runner.status('counter')).lag).toBe(0);
    expect(await storage.projections.checkpoint('counter')).toBe(afterCounted);
    await runner.waitFor('counter', head!, 1000);

    await runner.stopAll();
    expect(await storage.projections.checkpoint('counter')).toBe(head);
  });

  it('runs reactions at least once in log order, coalescing a page by key when asked', async () => {
    const seen: string[] = [];
    const coalesced: string[] = [];
    runner.registerReaction({
      name: 'every',
      eventTypes: ['Counted'],
      handle: async (event) =>
        void seen.push(`${event.streamId}${(event.data as { n: number }).n}`),
    });
    runner.registerReaction({
      name: 'latest-per-stream',
      eventTypes: ['Counted', 'Reset'],
      handle: async (event) =>
        void coalesced.push(`${event.streamId}${(event.data as { n: number }).n}`),
      coalesceKey: (event) => (event.type === 'Counted' ? event.streamId : null),
    });
    for (const [stream, type, n] of [
      ['a', 'Counted', 1],
      ['b', 'Counted', 2],
      ['a', 'Reset', 3],
      ['a', 'Counted', 4],
      ['b', 'Ignored', 5],
    ] as const) {
      await append(stream, type, n);
    }
    runner.onApplicationBootstrap();
    await eventually(
      async () => (await runner.statuses()).every((status) => status.lag === 0),
      'reactions caught up',
    );
    expect(seen).toEqual(['a1', 'b2', 'a4']);
    // a1 is stood for by a4; the Reset has no key and is always handled.
    expect(coalesced).toEqual(['b2', 'a3', 'a4']);

    await append('a', 'Counted', 6);
    await eventually(() => coalesced.length === 4, 'the next append');
    expect(coalesced.at(-1)).toBe('a6');
  });

  it('catches up at start, then follows new appends, skipping types it does not handle', async () => {
    await append('a', 'Counted', 1);
    await append('a', 'Ignored', 2);
    runner.register(countingProjection('counter'));
    runner.onApplicationBootstrap();
    await eventually(
      async () => (await storage.readModels.get('counter-counts', 'a'))?.n === 1,
      'catch-up',
    );

    await append('a', 'Counted', 3);
    await append('b', 'Counted', 4);
    await append('b', 'Ignored', 5);
    await eventually(async () => (await runner.status('counter')).lag === 0, 'lag 0');
    expect(await storage.readModels.get('counter-counts', 'a')).toEqual({ n: 2 });
    expect(await storage.readModels.get('counter-counts', 'b')).toEqual({ n: 1 });
    const status = await runner.status('counter');
    expect(status).toMatchObject({ state: 'running', lag: 0, last_error: null });
    expect(status.checkpoint).toBe(await storage.events.head());
  });

  it('stops only the failing projection, reports it, and retries until the handler recovers', async () => {
    let broken = true;
    runner.register(streamSummaryProjection);
    runner.register(
      countingProjection('fragile', (n) => {
        if (n === 2 && broken) throw new Error('cannot handle n=2');
      }),
    );
    await append('s', 'Counted', 1);
    await append('s', 'Counted', 2);
    runner.onApplicationBootstrap();
    await eventually(
      async () => (await runner.status('fragile')).state === 'failed',
      'failure reported',
    );
    const failed = await runner.status('fragile');
    expect(failed.last_error).toContain('cannot handle n=2');
    expect(failed.lag).toBeGreaterThan(0);
    await eventually(
      async () => (await runner.status('stream-summaries')).lag === 0,
      'healthy one continues',
    );
    // The batch holding n=1 and n=2 failed as a whole: neither was applied.
    expect(await storage.readModels.get('fragile-counts', 's')).toBeNull();

    broken = false;
    await eventually(async () => (await runner.status('fragile')).state === 'running', 'recovery');
    expect(await storage.readModels.get('fragile-counts', 's')).toEqual({ n: 2 });
  });

  it('rebuilds a read model equal to the one built live, reporting progress', async () => {
    runner.register(streamSummaryProjection);
    runner.onApplicationBootstrap();
    // 50 appends in flight at a time (one at a time takes over a minute on the Firestore emulator).
    for (let first = 0; first < 2500; first += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => first + k).map((i) =>
          append(`s-${i % 7}`, i % 3 ? 'Counted' : 'Other', i),
        ),
      );
    }
    await eventually(
      async () => (await runner.status('stream-summaries')).lag === 0,
      'live catch-up',
    );
    const live = await storage.readModels.list(STREAM_SUMMARIES);

    const progress: Array<[number, number]> = [];
    const { applied } = await runner.rebuild('stream-summaries', (passed, total) =>
      progress.push([passed, total]),
    );
    expect(applied).toBe(2500);
    expect(progress.at(-1)).toEqual([2500, 2500]);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(await storage.readModels.list(STREAM_SUMMARIES)).toEqual(live);
    await expect(runner.rebuild('nope')).rejects.toThrow(/no projection named 'nope'/);
  });
});
