import type { QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { Position } from '../event-envelope.js';
import type { EventLogCollections } from './firestore-event-collections.js';
import { firestoreCall, GRPC, hasGrpcCode, translateFirestoreError } from './firestore-errors.js';
import { toPosition } from './firestore-position.js';
import { sequenceOrder, type PendingEvent } from './firestore-sequence-order.js';

/** What one sequencing pass did. */
export interface SequencingPass {
  /** Positions this pass gave, by event document path. */
  assigned: ReadonlyMap<string, Position>;
  /**
   * Events pending when the pass began may still be pending: it took a full batch, or kept losing
   * races to other sequencers (who may have numbered them). Otherwise every one has a position.
   */
  morePending: boolean;
}

/** Firestore takes at most 500 writes in one commit: the batch plus the counter's write. */
export const DEFAULT_SEQUENCER_BATCH = 499;
/** A pass looks at the pending events again at most this often when other sequencers keep taking them. */
const MAX_PASS_ATTEMPTS = 5;
/** Answers Firestore gives a sequencer that another one got ahead of. */
const LOST_RACE = [GRPC.FAILED_PRECONDITION, GRPC.ALREADY_EXISTS, GRPC.ABORTED];

/**
 * Gives committed events their dense global positions.
 *
 * Firestore has no sequence and commits concurrent transactions in any order, so appends do not
 * number their events: they write them with `gpos: null` (pending), touching only their streams',
 * keys' and events' documents, and a sequencing pass numbers pending events afterwards. A pass
 * reads a batch of pending events and the counter document (`sequence/log`, `last`), then commits
 * in ONE atomic write: positions last+1..last+n for the batch and `last + n` for the counter, the
 * counter's write guarded by the update time it was read at and each event's by the update time
 * the query saw. Another sequencer that committed in between fails the commit (a failed
 * precondition), and the pass looks again. (A read-write transaction would serialise the same way,
 * but two of them reading the counter wait on each other's locks: about 2 s each on the emulator,
 * about one append a second with two busy instances. The guarded write fails at once instead.)
 *
 * Why readers never skip an event (readAll, head and distance see only numbered events, by
 * position):
 *  1. Positions are handed out only by a commit that finds the counter as it read it and moves it
 *     past the range it hands out: each range starts right after the range of the commit before.
 *  2. A commit's writes become visible together. So any read that shows position p shows the
 *     commit that gave p and, by (1), every earlier one: the positions a reader can see are always
 *     1..n, with no hole.
 *  3. A position is only given to an event that had already committed (the query found it), so
 *     no event can later appear below a position a reader has passed: an event committing after a
 *     reader moved on is pending until a later pass, which numbers it above everything handed out.
 * A reader that has seen up to p therefore finds everything after p by asking for positions > p.
 *
 * Passes are coalesced: one runs at a time in a process, and callers that ask while one runs
 * share the next one. Several processes may each run passes at once; the counter serialises them.
 */
export class FirestoreSequencer {
  private running: Promise<SequencingPass> | null = null;
  private queued: Promise<SequencingPass> | null = null;

  constructor(
    private readonly collections: EventLogCollections,
    private readonly batchSize = DEFAULT_SEQUENCER_BATCH,
  ) {}

  /** A pass that starts after this call (so it sees every event committed before it). */
  pass(): Promise<SequencingPass> {
    if (this.running === null) {
      this.running = this.runPass().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .then(
        () => undefined,
        () => undefined, // the running pass's callers get its failure; the next pass runs anyway
      )
      .then(() => {
        this.queued = null;
        return this.pass();
      });
    return this.queued;
  }

  /** Runs passes until nothing is pending (as far as this process can tell). */
  async sequenceAll(): Promise<void> {
    while ((await this.pass()).morePending);
  }

  /** Resolves once no pass of this process runs or waits (close). */
  async idle(): Promise<void> {
    while (this.running !== null || this.queued !== null) {
      await (this.queued ?? this.running)!.catch(() => undefined);
    }
  }

  private async runPass(): Promise<SequencingPass> {
    for (let attempt = 1; attempt <= MAX_PASS_ATTEMPTS; attempt++) {
      const pending = await firestoreCall('find pending events', () =>
        this.collections.events
          .where('gpos', '==', null)
          .orderBy('streamId')
          .orderBy('streamVersion')
          .limit(this.batchSize)
          .get(),
      );
      if (pending.empty) return { assigned: new Map(), morePending: false };
      try {
        const assigned = await this.number(pending.docs);
        return { assigned, morePending: pending.size >= this.batchSize };
      } catch (error) {
        // Another sequencer got ahead, most likely with this very batch: look again.
        if (LOST_RACE.some((code) => hasGrpcCode(error, code))) continue;
        const unavailable = translateFirestoreError('sequence pending events', error);
        if (unavailable !== error) throw unavailable;
        throw new Error(
          `numbering ${pending.size} pending events failed: ${String(error)}; ` +
            'they stay pending and the next append or sequencing pass numbers them',
          { cause: error },
        );
      }
    }
    return { assigned: new Map(), morePending: true };
  }

  private async number(docs: readonly QueryDocumentSnapshot[]): Promise<Map<string, Position>> {
    const ordered = sequenceOrder(docs.map(pendingEvent));
    const { counter: counterRef, layout } = this.collections;
    const counter = await counterRef.get();
    const last = (counter.get('last') as number | undefined) ?? 0;
    const batch = layout.db.batch();
    const assigned = new Map<string, Position>();
    ordered.forEach(({ snapshot }, offset) => {
      const position = toPosition(last + 1 + offset);
      batch.update(snapshot.ref, { gpos: position }, { lastUpdateTime: snapshot.updateTime });
      assigned.set(snapshot.ref.path, position);
    });
    const next = { last: last + ordered.length };
    if (counter.updateTime) batch.update(counterRef, next, { lastUpdateTime: counter.updateTime });
    else batch.create(counterRef, next);
    await batch.commit();
    return assigned;
  }
}

function pendingEvent(snapshot: QueryDocumentSnapshot): PendingEvent & {
  snapshot: QueryDocumentSnapshot;
} {
  return {
    snapshot,
    streamId: snapshot.get('streamId') as string,
    streamVersion: snapshot.get('streamVersion') as number,
    committedAt: snapshot.updateTime,
    commitIndex: snapshot.get('commitIndex') as number,
  };
}
