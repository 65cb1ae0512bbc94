import type { Decider, EventOfType } from '../../../common/event-store/index.js';
import {
  QUARANTINE_EVENTS,
  type MessageQuarantined,
  type QuarantineEvent,
  type QuarantineReplayed,
  type ReplayOutcome,
} from './quarantine.events.js';

/** The events of one entry's stream, `quarantine-<id>`. */
export type QuarantineStreamEvent = EventOfType<
  QuarantineEvent,
  typeof QUARANTINE_EVENTS.quarantined | typeof QUARANTINE_EVENTS.replayed
>;

/** One quarantine entry as its stream tells it: the message set aside. */
export interface QuarantineState {
  /** The entry (its first event); null when the stream does not exist. */
  entry: MessageQuarantined | null;
}

/** A replay of the entry ran through the pipeline: record what came of it. */
export interface RecordReplay {
  kind: 'record_replay';
  quarantineId: string;
  outcome: ReplayOutcome;
  detail: string;
}

export interface QuarantineContext {
  nowMs: number;
}

export type QuarantineDecision = {
  kind: 'record';
  events: [{ type: typeof QUARANTINE_EVENTS.replayed; data: QuarantineReplayed }];
};

export const initialQuarantineState = (): QuarantineState => ({ entry: null });

export function evolveQuarantine(
  state: QuarantineState,
  event: QuarantineStreamEvent,
): QuarantineState {
  // Replays change nothing the decisions look at.
  if (state.entry || event.type !== QUARANTINE_EVENTS.quarantined) return state;
  return { entry: event.data };
}

/** Every replay is recorded on the entry's stream, whatever came of it (pure). */
export function decideQuarantine(
  command: RecordReplay,
  _state: QuarantineState,
  context: QuarantineContext,
): QuarantineDecision {
  const replayed: QuarantineReplayed = {
    quarantine_id: command.quarantineId,
    outcome: command.outcome,
    detail: command.detail,
    replayed_at: new Date(context.nowMs).toISOString(),
  };
  return { kind: 'record', events: [{ type: QUARANTINE_EVENTS.replayed, data: replayed }] };
}

/** A quarantine entry's stream as a decider. */
export const quarantineDecider: Decider<
  RecordReplay,
  QuarantineState,
  QuarantineStreamEvent,
  QuarantineContext,
  QuarantineDecision
> = {
  initialState: initialQuarantineState,
  evolve: evolveQuarantine,
  decide: decideQuarantine,
};
