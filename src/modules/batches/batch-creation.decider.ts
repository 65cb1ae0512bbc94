import {
  expectedAt,
  type Decider,
  type EventOfType,
  type NewEventOf,
  type StreamWrite,
} from '../../common/event-store/index.js';
import {
  BATCH_EVENTS,
  batchDateStream,
  batchStream,
  EXPECTED_PLAYERS_CHUNK,
  type BatchCreated,
  type BatchEvent,
  type BatchOpenedForDate,
  type BatchPlayersExpected,
} from './batch.events.js';

/** The events of a game date's stream, `batch-date-<game_date>`. */
export type BatchDateEvent = EventOfType<
  BatchEvent,
  typeof BATCH_EVENTS.openedForDate | typeof BATCH_EVENTS.closedForDate
>;

/** What the decider knows about a game date: its stream version and the batches still running. */
export interface GameDateState {
  version: number;
  /** Opened and not yet closed, oldest first. */
  running: string[];
}

export const initialGameDateState: GameDateState = { version: 0, running: [] };

export function evolveGameDateState(state: GameDateState, event: BatchDateEvent): GameDateState {
  const version = state.version + 1;
  switch (event.type) {
    case BATCH_EVENTS.openedForDate:
      return { version, running: [...state.running, event.data.batch_id] };
    case BATCH_EVENTS.closedForDate: {
      const closed = event.data.batch_id;
      return { version, running: state.running.filter((id) => id !== closed) };
    }
    default:
      return { ...state, version };
  }
}

export interface CreateBatchCommand {
  batchId: string;
  gameDate: string;
  /** Exactly one of expectedPlayers (distinct ids) and expectedCount. */
  expectedPlayers?: readonly string[];
  expectedCount?: number;
  correlationId: string;
  force: boolean;
  minCompletionPct: number;
  startedAt: string;
}

export type BatchCreationDecision =
  /** One atomic append: the batch stream must not exist, the date stream must not have moved. */
  | { kind: 'create'; created: BatchCreated; writes: StreamWrite[] }
  | { kind: 'date_busy'; runningBatchId: string; runningBatchIds: string[] };

/**
 * The game date's stream as a decider: creating a batch writes its own new stream and, in the
 * same append, opens it on the date's stream at the version read.
 */
export const batchCreationDecider: Decider<
  CreateBatchCommand,
  GameDateState,
  BatchDateEvent,
  void,
  BatchCreationDecision
> = {
  initialState: () => initialGameDateState,
  evolve: evolveGameDateState,
  decide: decideBatchCreation,
};

/** At most one running batch per game date, unless the caller forces a second one. */
export function decideBatchCreation(
  command: CreateBatchCommand,
  date: GameDateState,
): BatchCreationDecision {
  const forced = date.running.length > 0;
  if (forced && !command.force) {
    return {
      kind: 'date_busy',
      runningBatchId: date.running[date.running.length - 1]!,
      runningBatchIds: date.running,
    };
  }
  const players = command.expectedPlayers;
  const created: BatchCreated = {
    batch_id: command.batchId,
    game_date: command.gameDate,
    expected_count: players ? players.length : command.expectedCount!,
    has_expected_list: players !== undefined,
    correlation_id: command.correlationId,
    min_completion_pct: command.minCompletionPct,
    forced,
    source: 'api',
    started_at: command.startedAt,
  };
  const opened: BatchOpenedForDate = { batch_id: command.batchId, forced };
  return {
    kind: 'create',
    created,
    writes: [
      {
        streamId: batchStream(command.batchId),
        events: [
          { type: BATCH_EVENTS.created, data: created },
          ...expectedChunks(command.batchId, players ?? []),
        ],
        expectedVersion: 'no-stream',
      },
      {
        streamId: batchDateStream(command.gameDate),
        events: [{ type: BATCH_EVENTS.openedForDate, data: opened }],
        expectedVersion: expectedAt(date.version),
      },
    ],
  };
}

function expectedChunks(batchId: string, players: readonly string[]) {
  const chunks: NewEventOf<BatchEvent>[] = [];
  for (let start = 0; start < players.length; start += EXPECTED_PLAYERS_CHUNK) {
    const data: BatchPlayersExpected = {
      batch_id: batchId,
      players: players.slice(start, start + EXPECTED_PLAYERS_CHUNK),
    };
    chunks.push({ type: BATCH_EVENTS.playersExpected, data });
  }
  return chunks;
}
