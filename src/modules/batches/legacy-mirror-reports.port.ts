/** One difference between a mirrored Firestore document and what the log says it should hold. */
export interface LegacyMirrorMismatch {
  /** Path of the document, e.g. `prediction_batches/<id>/completions/<player>`. */
  document: string;
  /** The field (null: the document as a whole, e.g. missing or not expected). */
  field: string | null;
  /** What the log says (JSON; long lists summarised). */
  expected: unknown;
  /** What Firestore holds. */
  actual: unknown;
}

/** The latest consistency check of a batch's mirrored documents (GET /v1/batches/:id). */
export interface LegacyMirrorReport {
  checked_at: string;
  /** The completion layout read back: per USE_SUBCOLLECTION_READS, or both for a dual-written batch. */
  layout_read: 'subcollection' | 'legacy' | 'both';
  /** Log position the mirrored documents reflected when they were read. */
  mirror_position: string | null;
  mismatch_count: number;
  /** The first mismatches (mismatch_count says how many there were). */
  mismatches: LegacyMirrorMismatch[];
}

/**
 * Where GET /v1/batches/:id finds a batch's latest legacy-mirror check. The legacy-mirror module
 * implements it and provides it under LEGACY_MIRROR_REPORTS; the app hands that module to
 * BatchesModule.forRoot when FIRESTORE_LEGACY_MIRROR is on. Batches owns the port so that it
 * imports nothing of the mirror, which reads batches' events.
 */
export interface LegacyMirrorReports {
  /** Null when the batch was not checked (yet). */
  reportFor(batchId: string): Promise<LegacyMirrorReport | null>;
}

export const LEGACY_MIRROR_REPORTS = Symbol('LEGACY_MIRROR_REPORTS');
