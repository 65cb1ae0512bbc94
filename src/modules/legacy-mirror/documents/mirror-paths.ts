/** The platform's collections the mirror writes, with the layout its readers expect. */
export const PREDICTION_BATCHES = 'prediction_batches';
export const PHASE2_COMPLETION = 'phase2_completion';
/** `prediction_batches/{batch_id}/completions/{player_lookup}`. */
export const completionsCollection = (batchId: string) =>
  `${PREDICTION_BATCHES}/${batchId}/completions`;
export const batchDocumentPath = (batchId: string) => `${PREDICTION_BATCHES}/${batchId}`;
export const phase2DocumentPath = (gameDate: string) => `${PHASE2_COMPLETION}/${gameDate}`;

/**
 * The mirror's own documents (never read by the platform): one state document per mirrored batch
 * and game date, which also lists what a reset deletes, and the checkpoint.
 */
export const MIRROR_STATE = 'shotclock_legacy_mirror_state';
export const MIRROR_CHECKPOINTS = 'shotclock_legacy_mirror_checkpoints';
export const batchStateKey = (batchId: string) => `batch:${batchId}`;
export const phase2StateKey = (gameDate: string) => `phase2:${gameDate}`;

const RESERVED_NAME = /^__.*__$/;

/**
 * Whether Firestore accepts `name` as a document id and as a map key: not empty, not `.` or `..`,
 * not `__...__` (reserved), no `/`. Player ids and processor names that are not are left out of
 * the mirror (with a warning), since the platform could not have stored them either.
 */
export function isFirestoreName(name: string): boolean {
  return (
    name !== '' && name !== '.' && name !== '..' && !RESERVED_NAME.test(name) && !name.includes('/')
  );
}
