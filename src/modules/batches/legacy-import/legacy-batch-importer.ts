import { createHash } from 'node:crypto';
import {
  streamEvents,
  WrongExpectedVersionError,
  type EventLog,
  type NewEvent,
  type Recorded,
} from '../../../common/event-store/index.js';
import {
  BATCH_EVENTS,
  batchStream,
  type BatchCompleted,
  type BatchEvent,
} from '../batch.events.js';
import type { LegacyBatchDocument } from './legacy-batch-document.schema.js';
import { legacyBatchWrites } from './legacy-batch-events.js';

export type ImportOutcome =
  | { kind: 'imported' }
  | { kind: 'skipped'; note: string }
  /** Not imported: the batch id is taken by something else. */
  | { kind: 'conflict'; problem: string };

/** Attempts at appending BatchCompleted when another writer moves the batch stream meanwhile. */
const COMPLETION_ATTEMPTS = 3;

export const legacyImportKey = (batchId: string) => `legacy-import:${batchId}`;
const completionKey = (batchId: string) => `legacy-import:${batchId}:completed`;

/**
 * Appends the events of legacy documents, idempotently: the history (BatchCreated and every
 * player's events) is one appendMulti under the key `legacy-import:<batch_id>` with each stream
 * expected not to exist, so a second import writes nothing even after the key has expired; then
 * BatchCompleted, when the document is complete and the batch stream holds none yet.
 */
export class LegacyBatchImporter {
  constructor(private readonly events: EventLog) {}

  async import(doc: LegacyBatchDocument): Promise<ImportOutcome> {
    const fingerprint = fingerprintOf(doc);
    const writes = legacyBatchWrites(doc, fingerprint);
    let outcome: ImportOutcome;
    try {
      const result = await this.events.appendMulti(writes.history, {
        idempotencyKey: legacyImportKey(doc.batch_id),
        fingerprint,
      });
      outcome = !result.duplicate
        ? { kind: 'imported' }
        : sameDocument(result.storedFingerprint, fingerprint, doc.batch_id);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      outcome = await this.explainExisting(doc.batch_id, fingerprint, error);
    }
    if (outcome.kind !== 'conflict' && writes.completion) {
      await this.ensureCompleted(doc.batch_id, writes.completion);
    }
    return outcome;
  }

  /** The history append found a stream already there: an earlier import (key expired) or another writer. */
  private async explainExisting(
    batchId: string,
    fingerprint: string,
    error: WrongExpectedVersionError,
  ): Promise<ImportOutcome> {
    const first = await this.firstEvent(batchStream(batchId));
    if (!first || first.type !== BATCH_EVENTS.created) {
      return {
        kind: 'conflict',
        problem: `stream ${error.streamId} already exists (version ${error.actualVersion}) but batch ${batchId} was never created; not imported`,
      };
    }
    const source: unknown = first.data.source;
    if (source !== 'legacy_import') {
      return {
        kind: 'conflict',
        problem: `batch ${batchId} already exists (created by ${String(source)} at position ${first.position}); not imported`,
      };
    }
    const stored = first.metadata.legacyFingerprint;
    return sameDocument(typeof stored === 'string' ? stored : undefined, fingerprint, batchId);
  }

  private async ensureCompleted(
    batchId: string,
    completion: NewEvent<BatchCompleted>,
  ): Promise<void> {
    const streamId = batchStream(batchId);
    for (let attempt = 1; ; attempt++) {
      let version = 0;
      for await (const event of this.events.readStream(streamId)) {
        if (event.type === BATCH_EVENTS.completed) return;
        version = event.streamVersion;
      }
      try {
        await this.events.append(streamId, [completion], {
          expectedVersion: version,
          idempotencyKey: completionKey(batchId),
        });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= COMPLETION_ATTEMPTS) {
          throw new Error(
            `appending BatchCompleted to ${streamId} failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        }
        // Another writer (e.g. the batches module completing it) moved the stream: look again.
      }
    }
  }

  private async firstEvent(streamId: string): Promise<Recorded<BatchEvent> | null> {
    const stream = streamEvents<BatchEvent>({ events: this.events }, streamId, { limit: 1 });
    for await (const event of stream) return event;
    return null;
  }
}

function sameDocument(
  stored: string | undefined,
  fingerprint: string,
  batchId: string,
): ImportOutcome {
  if (stored !== undefined && stored !== fingerprint) {
    return {
      kind: 'conflict',
      problem: `batch ${batchId} was already imported from a different document (same batch_id, other content); not imported again`,
    };
  }
  return { kind: 'skipped', note: 'already imported' };
}

/** SHA-256 of the validated document: tells "the same document again" from "another document, same id". */
export function fingerprintOf(doc: LegacyBatchDocument): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex');
}
