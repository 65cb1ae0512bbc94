import type { EventMetadata, NewEvent } from './event-envelope.js';
import type { WrongExpectedVersionError } from './event-store.errors.js';
import type {
  EventLog,
  ExpectedVersion,
  MultiAppendResult,
  ReadStreamOptions,
  StreamWrite,
} from './event-store.port.js';
import { retryOnConcurrentWrite } from './retry-on-concurrent-write.js';
import type { NewEventOf, Recorded, TypedEvent } from './typed-event.js';

/** What a decider answers: tagged by `kind`, with what to append, if anything. */
export interface Decision<E extends TypedEvent = TypedEvent> {
  readonly kind: string;
  /** Appended to the decided stream at the version the decision was made on. */
  readonly events?: readonly NewEventOf<E>[];
  /**
   * Appended in the same transaction, each at its own expected version: other streams (e.g. one
   * that must not exist yet), or the decided stream itself when the decider names its version.
   */
  readonly writes?: readonly StreamWrite[];
}

/**
 * The pure part of handling a command on one stream: the state of an empty stream, how an event
 * changes it, and what a command decides on it. `context` carries what holds when deciding
 * (clock, config), so `decide` reads nothing itself.
 */
export interface Decider<
  Command,
  State,
  E extends TypedEvent,
  Context = void,
  D extends Decision<E> = Decision<E>,
> {
  initialState: () => State;
  evolve: (state: State, event: E) => State;
  decide: (command: Command, state: State, context: Context) => D;
}

export interface CommandOptions {
  /** Merged into each appended event's metadata (the event's own fields win). */
  metadata?: EventMetadata;
  /** Stored with the append; an append under a live key writes nothing and answers the first result. */
  idempotencyKey?: string;
  fingerprint?: string;
  /**
   * The error to throw once the decided stream kept moving for MAX_DECIDE_ATTEMPTS decisions
   * (default: the last conflict itself).
   */
  onExhausted?: (conflict: WrongExpectedVersionError, attempts: number) => Error;
}

export interface CommandResult<State, D> {
  decision: D;
  /**
   * The state after the decision's events; the state read when nothing was appended (nothing to
   * write, or a duplicate of an earlier append under the same idempotency key).
   */
  state: State;
  /** Version of the decided stream the decision was made on (0: no stream). */
  version: number;
  /** What the append wrote (a duplicate: the first append's result); null when nothing was written. */
  append: MultiAppendResult | null;
}

/**
 * The events of stream `streamId` as events of union `E`: where a stream's events cross from
 * `data: unknown`. A stream holds the events of the module that owns it (only its code appends
 * there), so the module names the union and nothing downstream casts.
 */
export async function* streamEvents<E extends TypedEvent>(
  storage: { readonly events: EventLog },
  streamId: string,
  options?: ReadStreamOptions,
): AsyncIterable<Recorded<E>> {
  for await (const event of storage.events.readStream(streamId, options)) {
    yield event as Recorded<E>;
  }
}

/** A stream folded with `evolve`, and its version (0 when it does not exist). */
export async function aggregateStream<State, E extends TypedEvent>(
  storage: { readonly events: EventLog },
  streamId: string,
  fold: Pick<Decider<unknown, State, E, never>, 'initialState' | 'evolve'>,
): Promise<{ state: State; version: number }> {
  let state = fold.initialState();
  let version = 0;
  for await (const event of streamEvents<E>(storage, streamId)) {
    state = fold.evolve(state, event);
    version = event.streamVersion;
  }
  return { state, version };
}

/**
 * Handles `command` on stream `streamId`: reads and folds the stream, decides, and appends what
 * the decision says against the version read (with `options`' idempotency key, in one
 * transaction). When a concurrent writer moved the stream meanwhile, it reads and decides again,
 * so every decision sees each event before it; a conflict on another stream of the append is
 * thrown to the caller (reading this stream again cannot resolve it).
 */
export function handleCommand<Command, State, E extends TypedEvent, Context, D extends Decision<E>>(
  storage: { readonly events: EventLog },
  streamId: string,
  decider: Decider<Command, State, E, Context, D>,
  command: Command,
  context: Context,
  options: CommandOptions = {},
): Promise<CommandResult<State, D>> {
  const { metadata, idempotencyKey, fingerprint, onExhausted } = options;
  const stamp = (event: NewEvent): NewEvent =>
    metadata ? { ...event, metadata: { ...metadata, ...event.metadata } } : event;
  return retryOnConcurrentWrite(
    async () => {
      const { state, version } = await aggregateStream(storage, streamId, decider);
      const decision = decider.decide(command, state, context);
      const events = decision.events ?? [];
      const writes: StreamWrite[] = [
        ...(events.length > 0 ? [{ streamId, events, expectedVersion: expectedAt(version) }] : []),
        ...(decision.writes ?? []),
      ].map((write) => ({ ...write, events: write.events.map(stamp) }));
      if (writes.length === 0) return { decision, state, version, append: null };
      const append = await storage.events.appendMulti(writes, {
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        ...(fingerprint === undefined ? {} : { fingerprint }),
      });
      const after = append.duplicate ? state : events.reduce<State>(decider.evolve, state);
      return { decision, state: after, version, append };
    },
    onExhausted,
    (conflict) => conflict.streamId === streamId,
  );
}

/** The expected version of a stream read at `version` (0: it must not exist yet). */
export function expectedAt(version: number): ExpectedVersion {
  return version === 0 ? 'no-stream' : version;
}
