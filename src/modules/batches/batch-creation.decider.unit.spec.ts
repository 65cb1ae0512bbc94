import { BATCH_EVENTS, EXPECTED_PLAYERS_CHUNK } from './batch.events.js';
import {
  decideBatchCreation,
  evolveGameDateState,
  initialGameDateState,
  type BatchDateEvent,
  type CreateBatchCommand,
  type GameDateState,
} from './batch-creation.decider.js';

const command = (overrides: Partial<CreateBatchCommand> = {}): CreateBatchCommand => ({
  batchId: 'b2',
  gameDate: '2026-01-22',
  expectedCount: 3,
  correlationId: 'corr',
  force: false,
  minCompletionPct: 95,
  startedAt: '2026-01-22T12:00:00.000Z',
  ...overrides,
});

const given = (...events: BatchDateEvent[]): GameDateState =>
  events.reduce(evolveGameDateState, initialGameDateState);
const opened = (id: string) => ({ type: BATCH_EVENTS.openedForDate, data: { batch_id: id } });
const closed = (id: string) => ({
  type: BATCH_EVENTS.closedForDate,
  data: { batch_id: id, reason: 'all_players' as const },
});

describe('decideBatchCreation (given the game date stream, when creating, then ...)', () => {
  it('creates the first batch of a date: both streams must be new', () => {
    const decision = decideBatchCreation(command(), given());
    expect(decision).toEqual({
      kind: 'create',
      created: {
        batch_id: 'b2',
        game_date: '2026-01-22',
        expected_count: 3,
        has_expected_list: false,
        correlation_id: 'corr',
        min_completion_pct: 95,
        forced: false,
        source: 'api',
        started_at: '2026-01-22T12:00:00.000Z',
      },
      writes: [
        {
          streamId: 'batch-b2',
          events: [{ type: BATCH_EVENTS.created, data: expect.any(Object) }],
          expectedVersion: 'no-stream',
        },
        {
          streamId: 'batch-date-2026-01-22',
          events: [{ type: BATCH_EVENTS.openedForDate, data: { batch_id: 'b2', forced: false } }],
          expectedVersion: 'no-stream',
        },
      ],
    });
  });

  it('writes an expected list in chunks after BatchCreated, and counts it', () => {
    const players = Array.from({ length: 2 * EXPECTED_PLAYERS_CHUNK + 1 }, (_, i) => `p-${i}`);
    const { expectedCount: _count, ...withoutCount } = command({ expectedPlayers: players });
    const decision = decideBatchCreation(withoutCount, given());
    if (decision.kind !== 'create') throw new Error(`expected a creation, got ${decision.kind}`);
    expect(decision.created).toMatchObject({
      expected_count: players.length,
      has_expected_list: true,
    });
    const [batch] = decision.writes;
    expect(batch!.events.map((event) => event.type)).toEqual([
      BATCH_EVENTS.created,
      BATCH_EVENTS.playersExpected,
      BATCH_EVENTS.playersExpected,
      BATCH_EVENTS.playersExpected,
    ]);
    const chunks = batch!.events
      .slice(1)
      .map((event) => (event.data as { players: string[] }).players);
    expect(chunks.map((chunk) => chunk.length)).toEqual([
      EXPECTED_PLAYERS_CHUNK,
      EXPECTED_PLAYERS_CHUNK,
      1,
    ]);
    expect(chunks.flat()).toEqual(players);
  });

  it('refuses while another batch of the date runs, naming it', () => {
    expect(decideBatchCreation(command(), given(opened('b1')))).toEqual({
      kind: 'date_busy',
      runningBatchId: 'b1',
      runningBatchIds: ['b1'],
    });
  });

  it('allows a second running batch with force, recorded as forced, against the version read', () => {
    const decision = decideBatchCreation(command({ force: true }), given(opened('b1')));
    if (decision.kind !== 'create') throw new Error(`expected a creation, got ${decision.kind}`);
    expect(decision.created.forced).toBe(true);
    expect(decision.writes[1]).toMatchObject({
      events: [{ data: { batch_id: 'b2', forced: true } }],
      expectedVersion: 1,
    });
  });

  it('frees the date once the running batch closed', () => {
    const decision = decideBatchCreation(command(), given(opened('b1'), closed('b1')));
    expect(decision.kind).toBe('create');
    if (decision.kind === 'create') expect(decision.writes[1]!.expectedVersion).toBe(2);
  });

  it('names the newest running batch when forced ones run side by side', () => {
    expect(
      decideBatchCreation(command(), given(opened('b0'), opened('b1'), closed('b0'), opened('b3'))),
    ).toMatchObject({
      kind: 'date_busy',
      runningBatchId: 'b3',
      runningBatchIds: ['b1', 'b3'],
    });
  });
});
