import { ManualClock } from '../clock/clock.js';
import { STORAGE_FACTORIES } from '../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../test/support/storage.contract.js';
import {
  aggregateStream,
  handleCommand,
  MAX_DECIDE_ATTEMPTS,
  WrongExpectedVersionError,
  type Decider,
  type NewEventOf,
  type RecordedEvent,
  type Storage,
  type StreamWrite,
  type TypedEvent,
} from './index.js';

/** A tally: each Count records how many counts the stream held when it was decided. */
type TallyEvent = TypedEvent<'Counted', { seen: number; by: string }>;
interface Tally {
  count: number;
}
type TallyCommand =
  | { kind: 'count'; by: string }
  | { kind: 'nothing' }
  /** Writes `writes` as they are (a stale expected version, or another stream). */
  | { kind: 'raw'; writes: StreamWrite[] };
type TallyDecision =
  | { kind: 'count'; events: NewEventOf<TallyEvent>[] }
  | { kind: 'nothing' }
  | { kind: 'raw'; writes: StreamWrite[] };

/** A real decider of the handler's contract (pure), counting its calls to show the retries. */
function tallyDecider() {
  const calls = { decide: 0 };
  const decider: Decider<TallyCommand, Tally, TallyEvent, { at: string }, TallyDecision> = {
    initialState: () => ({ count: 0 }),
    evolve: (state) => ({ count: state.count + 1 }),
    decide: (command, state) => {
      calls.decide += 1;
      if (command.kind === 'count') {
        return {
          kind: 'count',
          events: [{ type: 'Counted', data: { seen: state.count, by: command.by } }],
        };
      }
      return command;
    },
  };
  return { decider, calls };
}

async function all(storage: Storage, streamId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of storage.events.readStream(streamId)) events.push(event);
  return events;
}

describe.each(STORAGE_FACTORIES)('handleCommand (real %s store)', (_adapter, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(() => factory.dispose());
  beforeEach(async () => {
    ({ storage } = await factory.create(new ManualClock()));
  });
  afterEach(() => storage.close());

  const context = { at: '2026-01-22T12:00:00.000Z' };

  it('decides on the folded stream and appends at the version read, returning the state after', async () => {
    const { decider } = tallyDecider();
    const first = await handleCommand(
      storage,
      'tally-1',
      decider,
      { kind: 'count', by: 'a' },
      context,
    );
    const second = await handleCommand(
      storage,
      'tally-1',
      decider,
      { kind: 'count', by: 'b' },
      context,
      { metadata: { correlationId: 'corr-1' } },
    );
    expect(first).toMatchObject({ version: 0, state: { count: 1 } });
    expect(first.append?.streams).toEqual([
      expect.objectContaining({ streamId: 'tally-1', streamVersion: 1 }),
    ]);
    expect(second).toMatchObject({ version: 1, state: { count: 2 } });
    const events = await all(storage, 'tally-1');
    expect(events.map((event) => event.data)).toEqual([
      { seen: 0, by: 'a' },
      { seen: 1, by: 'b' },
    ]);
    expect(events[1]!.metadata).toMatchObject({ correlationId: 'corr-1' });
    expect(await aggregateStream(storage, 'tally-1', decider)).toEqual({
      state: { count: 2 },
      version: 2,
    });
  });

  it('decides again when concurrent writers move the stream, so each decision sees every event before it', async () => {
    const { decider } = tallyDecider();
    const writers = ['a', 'b', 'c', 'd'];
    await Promise.all(
      writers.map((by) =>
        handleCommand(storage, 'tally-2', decider, { kind: 'count', by }, context),
      ),
    );
    const events = await all(storage, 'tally-2');
    expect(events.map((event) => (event.data as { seen: number }).seen)).toEqual([0, 1, 2, 3]);
    expect(events.map((event) => (event.data as { by: string }).by).sort()).toEqual(writers);
  });

  it('gives up after MAX_DECIDE_ATTEMPTS on a stream that keeps moving, with the caller’s error', async () => {
    const { decider, calls } = tallyDecider();
    await handleCommand(storage, 'tally-3', decider, { kind: 'count', by: 'a' }, context);
    const stale: StreamWrite[] = [
      {
        streamId: 'tally-3',
        events: [{ type: 'Counted', data: {} }],
        expectedVersion: 'no-stream',
      },
    ];
    calls.decide = 0;
    await expect(
      handleCommand(storage, 'tally-3', decider, { kind: 'raw', writes: stale }, context, {
        onExhausted: (conflict, attempts) =>
          new Error(`${conflict.streamId} kept moving (${attempts} attempts)`),
      }),
    ).rejects.toThrow(`tally-3 kept moving (${MAX_DECIDE_ATTEMPTS} attempts)`);
    expect(calls.decide).toBe(MAX_DECIDE_ATTEMPTS);
  });

  it('throws a conflict on another stream of the append at once: reading again cannot resolve it', async () => {
    const { decider, calls } = tallyDecider();
    await handleCommand(storage, 'other', decider, { kind: 'count', by: 'a' }, context);
    const onOther: StreamWrite[] = [
      { streamId: 'other', events: [{ type: 'Counted', data: {} }], expectedVersion: 'no-stream' },
    ];
    calls.decide = 0;
    const failure = handleCommand(
      storage,
      'tally-4',
      decider,
      { kind: 'raw', writes: onOther },
      context,
    );
    await expect(failure).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(failure).rejects.toMatchObject({ streamId: 'other' });
    expect(calls.decide).toBe(1);
    expect(await all(storage, 'tally-4')).toEqual([]);
  });

  it('appends nothing for a decision without events', async () => {
    const { decider } = tallyDecider();
    const outcome = await handleCommand(storage, 'tally-5', decider, { kind: 'nothing' }, context);
    expect(outcome).toEqual({
      decision: { kind: 'nothing' },
      state: { count: 0 },
      version: 0,
      append: null,
    });
    expect(await storage.events.streamVersion('tally-5')).toBe(0);
  });

  it('answers a live idempotency key with the first append, and the state as read', async () => {
    const { decider } = tallyDecider();
    const options = { idempotencyKey: 'tally-key', fingerprint: 'f-1' };
    const first = await handleCommand(
      storage,
      'tally-6',
      decider,
      { kind: 'count', by: 'a' },
      context,
      options,
    );
    const again = await handleCommand(
      storage,
      'tally-6',
      decider,
      { kind: 'count', by: 'a' },
      context,
      options,
    );
    expect(again.append).toMatchObject({
      duplicate: true,
      storedFingerprint: 'f-1',
      streams: first.append!.streams,
    });
    expect(again).toMatchObject({ version: 1, state: { count: 1 } });
    expect(await all(storage, 'tally-6')).toHaveLength(1);
  });
});
