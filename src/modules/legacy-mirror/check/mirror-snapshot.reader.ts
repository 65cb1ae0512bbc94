import type { Firestore } from '@google-cloud/firestore';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import type { Position } from '../../../common/event-store/index.js';
import { withDeadline } from '../../../common/gcp/deadline.js';
import type { BatchMirrorState } from '../documents/batch-documents.js';
import {
  batchDocumentPath,
  batchStateKey,
  completionsCollection,
  MIRROR_STATE,
} from '../documents/mirror-paths.js';
import type { FirestoreProjectionStore } from '../firestore/firestore-projection-store.js';
import { LEGACY_MIRROR_PROJECTION } from '../legacy-mirror.projection.js';
import { LEGACY_MIRROR_FIRESTORE, LEGACY_MIRROR_STORE } from '../legacy-mirror.tokens.js';
import type { MirroredBatch } from './compare-mirrored-batch.js';

export interface MirrorSnapshot {
  /** The mirror's checkpoint: the documents hold every event up to it, none after. */
  position: Position | null;
  batch: MirroredBatch;
}

/** A batch's mirrored documents and the mirror's checkpoint, read at one instant. */
@Injectable()
export class MirrorSnapshotReader {
  constructor(
    @Inject(LEGACY_MIRROR_FIRESTORE) private readonly db: Firestore,
    @Inject(LEGACY_MIRROR_STORE) private readonly store: FirestoreProjectionStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  read(batchId: string): Promise<MirrorSnapshot> {
    // A read-only transaction reads every document at the same time: the checkpoint and the
    // documents it describes agree, however far the mirror moves meanwhile.
    const snapshot = this.db.runTransaction(
      async (transaction) => {
        const position = await this.store.checkpointWithin(transaction, LEGACY_MIRROR_PROJECTION);
        const [state, document] = await transaction.getAll(
          this.db.collection(MIRROR_STATE).doc(batchStateKey(batchId)),
          this.db.doc(batchDocumentPath(batchId)),
        );
        const completions = await transaction.get(
          this.db.collection(completionsCollection(batchId)),
        );
        return {
          position,
          batch: {
            state: (state!.data() as BatchMirrorState | undefined) ?? null,
            document: document!.data() ?? null,
            completions: new Map(completions.docs.map((entry) => [entry.id, entry.data()])),
          },
        };
      },
      { readOnly: true },
    );
    return withDeadline(
      snapshot,
      this.config.timeouts.firestoreTransactionMs,
      `reading the mirrored documents of batch ${batchId} from Firestore`,
    );
  }
}
