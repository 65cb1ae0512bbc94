import type { DerivedFigures, LegacyFigures } from './consistency-check.js';

/** Exit codes of `npm run import:legacy-batches` (documented in the README). */
export const IMPORT_EXIT = {
  /** Every document imported (or already there) and every batch consistent. */
  consistent: 0,
  /** The import could not run: unreadable file, bad configuration, store or projection failure. */
  failed: 1,
  usage: 2,
  /** At least one batch's consistency report lists mismatches. */
  mismatches: 3,
  /** No mismatches, but some documents were not imported (invalid, or their batch id was taken). */
  rejected: 4,
} as const;

export interface BatchEntry {
  figures: LegacyFigures;
  /** `imported` or `skipped (already imported)`. */
  status: string;
}

export interface ReportedBatch extends BatchEntry {
  derived: DerivedFigures | null;
  mismatches: string[];
}

/** Counts of one import run. */
export class ImportTally {
  read = 0;
  imported = 0;
  skipped = 0;
  rejected = 0;

  summary(reported: readonly ReportedBatch[]): string {
    const inconsistent = reported.filter((batch) => batch.mismatches.length > 0).length;
    return (
      `summary: ${this.read} document(s) read: ${this.imported} imported, ` +
      `${this.skipped} skipped (already imported), ${this.rejected} rejected (invalid or conflicting); ` +
      `${reported.length - inconsistent} batch(es) consistent, ${inconsistent} with mismatches`
    );
  }

  exitCode(reported: readonly ReportedBatch[]): number {
    if (reported.some((batch) => batch.mismatches.length > 0)) return IMPORT_EXIT.mismatches;
    if (this.rejected > 0) return IMPORT_EXIT.rejected;
    return IMPORT_EXIT.consistent;
  }
}
