import type { AlertRequest } from '../../common/alerts/alert.port.js';
import type { ReadModelTransaction } from '../../common/event-store/index.js';

/**
 * What the mirror projection writes through: documents by (collection path, id), and alerts that
 * its store raises once the step's reads are complete, before the step commits (at least once:
 * their keys make them once).
 */
export interface MirrorTransaction extends ReadModelTransaction {
  deferAlert(alert: AlertRequest): void;
}

export function asMirrorTransaction(tx: ReadModelTransaction): MirrorTransaction {
  if ('deferAlert' in tx && typeof tx.deferAlert === 'function') return tx as MirrorTransaction;
  throw new Error(
    'the legacy mirror projection was handed a transaction of another store: register it with ' +
      'its Firestore store (ProjectionRunner.register(projection, { store, batchSize }))',
  );
}
