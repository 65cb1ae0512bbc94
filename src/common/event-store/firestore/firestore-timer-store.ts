import type { DocumentReference, DocumentSnapshot } from '@google-cloud/firestore';
import type { Clock } from '../../clock/clock.js';
import { assertStorableTimer } from '../append-rules.js';
import type { NewEvent } from '../event-envelope.js';
import type {
  AppendOptions,
  AppendResult,
  ScheduledTimer,
  TimerRecord,
  TimerStore,
} from '../event-store.port.js';
import { KeyedMutex } from './firestore-contention.js';
import { documentIdOf } from './firestore-document-id.js';
import { firestoreCall } from './firestore-errors.js';
import type { FirestoreLayout } from './firestore-layout.js';
import type { TransactionPart } from './transaction-part.js';

/** What the timer store needs of the event log: an append sharing a transaction with a part. */
export interface TimerEventAppender {
  appendInTransaction(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    part: TransactionPart,
  ): Promise<AppendResult | null>;
}

/** Digits of a due time in `dueKey`: every time from 0 to Number.MAX_SAFE_INTEGER. */
const DUE_DIGITS = 16;

interface StoredTimer {
  timerId: string;
  streamId: string;
  dueAtMs: number;
  /** The event as JSON text, as the SQL stores keep it. */
  event: string;
  state: TimerRecord['state'];
  firedAt: string | null;
  createdAt: string;
  /**
   * Only while scheduled: the due time (16 digits) and the timer id, so that one single-field
   * index orders the scheduled timers by (due time, id) and holds no others; `due` and
   * `nextDueAtMs` need no composite index.
   */
  dueKey?: string;
}

/**
 * Timers: `timers/<timerId>`. Within one process, the writes to one timer are queued: two fires
 * of one timer would otherwise only wait for each other's locks in Firestore.
 */
export class FirestoreTimerStore implements TimerStore {
  private readonly queue = new KeyedMutex();

  constructor(
    private readonly layout: FirestoreLayout,
    private readonly events: TimerEventAppender,
    private readonly clock: Clock,
  ) {}

  async schedule(timer: ScheduledTimer): Promise<TimerRecord> {
    assertStorableTimer(timer);
    const dueKey = dueKeyOf(timer.dueAtMs, timer.timerId);
    const ref = this.timerRef(timer.timerId);
    const schedule = () =>
      this.layout.transaction(async (tx) => {
        const existing = await tx.get(ref);
        if (existing.exists) return toTimerRecord(existing);
        const stored: StoredTimer = {
          timerId: timer.timerId,
          streamId: timer.streamId,
          dueAtMs: timer.dueAtMs,
          event: JSON.stringify(timer.event),
          state: 'scheduled',
          firedAt: null,
          createdAt: this.clock.now().toISOString(),
          dueKey,
        };
        tx.set(ref, stored);
        return fromStored(stored);
      });
    return this.queue.run(timer.timerId, () =>
      firestoreCall(`schedule timer ${timer.timerId}`, schedule),
    );
  }

  cancel(timerId: string): Promise<boolean> {
    const ref = this.timerRef(timerId);
    const cancel = () =>
      this.layout.transaction(async (tx) => {
        const snapshot = await tx.get(ref);
        if (!isScheduled(snapshot)) return false;
        tx.set(ref, unscheduled(snapshot, { state: 'cancelled' }));
        return true;
      });
    return this.queue.run(timerId, () => firestoreCall(`cancel timer ${timerId}`, cancel));
  }

  async get(timerId: string): Promise<TimerRecord | null> {
    const snapshot = await firestoreCall(`read timer ${timerId}`, () =>
      this.timerRef(timerId).get(),
    );
    return snapshot.exists ? toTimerRecord(snapshot) : null;
  }

  async due(nowMs: number, limit: number): Promise<TimerRecord[]> {
    // Every dueKey of a time <= nowMs sorts before the bare digits of nowMs + 1.
    const before = String(Math.max(0, Math.floor(nowMs) + 1)).padStart(DUE_DIGITS, '0');
    const page = await firestoreCall('read due timers', () =>
      this.timers().where('dueKey', '<', before).orderBy('dueKey').limit(limit).get(),
    );
    return page.docs.map(toTimerRecord);
  }

  async nextDueAtMs(): Promise<number | null> {
    const page = await firestoreCall('read next timer', () =>
      this.timers().orderBy('dueKey').limit(1).get(),
    );
    const first = page.docs[0];
    return first ? (first.get('dueAtMs') as number) : null;
  }

  /**
   * Appends the timer's event and marks the timer fired in one transaction (the event log's
   * appendInTransaction): the part re-reads the timer inside it and cancels the whole append when
   * it is no longer scheduled. Two instances firing one timer at once both read it there; the
   * second to commit is run again by Firestore (its read is stale), sees it fired and writes
   * nothing. The idempotency key `timer:<id>` is a second guard, as in the SQL stores.
   */
  fire(timerId: string): Promise<AppendResult | null> {
    return this.queue.run(timerId, () => this.fireNow(timerId));
  }

  private async fireNow(timerId: string): Promise<AppendResult | null> {
    const timer = await this.get(timerId);
    if (timer?.state !== 'scheduled') return null;
    const ref = this.timerRef(timerId);
    return this.events.appendInTransaction(
      timer.streamId,
      [timer.event],
      { expectedVersion: 'any', idempotencyKey: `timer:${timerId}` },
      async (tx) => {
        const snapshot = await tx.get(ref);
        if (!isScheduled(snapshot)) return null;
        const fired = unscheduled(snapshot, {
          state: 'fired',
          firedAt: this.clock.now().toISOString(),
        });
        return (writer) => writer.set(ref, fired);
      },
    );
  }

  private timers() {
    return this.layout.collection('timers');
  }

  private timerRef(timerId: string): DocumentReference {
    return this.timers().doc(documentIdOf(timerId, `timer id ${JSON.stringify(timerId)}`));
  }
}

function dueKeyOf(dueAtMs: number, timerId: string): string {
  if (!Number.isSafeInteger(dueAtMs) || dueAtMs < 0) {
    throw new Error(
      `timer ${timerId} is due at ${dueAtMs}: give a due time in whole milliseconds since the epoch (0 or more)`,
    );
  }
  return `${String(dueAtMs).padStart(DUE_DIGITS, '0')} ${timerId}`;
}

function isScheduled(snapshot: DocumentSnapshot): boolean {
  return snapshot.exists && snapshot.get('state') === 'scheduled';
}

/** The stored timer in its new state, without the dueKey that listed it as scheduled. */
function unscheduled(
  snapshot: DocumentSnapshot,
  change: Pick<StoredTimer, 'state'> & Partial<Pick<StoredTimer, 'firedAt'>>,
): StoredTimer {
  const { dueKey: _listed, ...rest } = snapshot.data() as StoredTimer;
  return { ...rest, ...change };
}

function toTimerRecord(snapshot: DocumentSnapshot): TimerRecord {
  return fromStored(snapshot.data() as StoredTimer);
}

function fromStored(stored: StoredTimer): TimerRecord {
  return {
    timerId: stored.timerId,
    streamId: stored.streamId,
    dueAtMs: stored.dueAtMs,
    event: JSON.parse(stored.event) as NewEvent,
    state: stored.state,
    firedAt: stored.firedAt,
  };
}
