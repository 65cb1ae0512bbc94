import type { LegacyBatchDocument } from './legacy-batch-document.schema.js';

/** What a legacy document says about itself (kept per batch until the report; no player lists). */
export interface LegacyFigures {
  batchId: string;
  location: string;
  /** `completed_players` array length (duplicates included, as the legacy counter saw them). */
  completedListed: number;
  failedListed: number;
  /** Number of keys in `predictions_by_player`. */
  predictionKeys: number;
  /** The document's `total_predictions` counter. */
  totalPredictions: number;
  /** Sum of the values of `predictions_by_player`. */
  predictionsSum: number;
  /** Disagreements between the completions subcollection and the legacy fields (Firestore source). */
  layoutMismatches: readonly string[];
}

/** The same figures as derived from the imported events (the `batch-progress` read model). */
export interface DerivedFigures {
  completed_count: number;
  failed_count: number;
  total_predictions: number;
}

export function legacyFiguresOf(
  doc: LegacyBatchDocument,
  location: string,
  layoutMismatches: readonly string[] = [],
): LegacyFigures {
  const counts = Object.values(doc.predictions_by_player);
  return {
    batchId: doc.batch_id,
    location,
    completedListed: doc.completed_players.length,
    failedListed: doc.failed_players.length,
    predictionKeys: counts.length,
    totalPredictions: doc.total_predictions,
    predictionsSum: counts.reduce((sum, n) => sum + n, 0),
    layoutMismatches,
  };
}

/**
 * Every disagreement between the legacy document's three views of "completed" (array length,
 * derived counter, predictions_by_player keys), of "predictions" (total_predictions counter, sum
 * of predictions_by_player, derived total) and of "failed" (array length, derived counter), then
 * those between its completion layouts (the figures above are of their union).
 */
export function findMismatches(legacy: LegacyFigures, derived: DerivedFigures | null): string[] {
  if (derived === null) {
    return ['no batch-progress read model for this batch', ...legacy.layoutMismatches];
  }
  return [
    ...disagreements('completed players', [
      ['completed_players length', legacy.completedListed],
      ['derived completed_count', derived.completed_count],
      ['predictions_by_player keys', legacy.predictionKeys],
    ]),
    ...disagreements('predictions', [
      ['total_predictions', legacy.totalPredictions],
      ['sum of predictions_by_player', legacy.predictionsSum],
      ['derived total_predictions', derived.total_predictions],
    ]),
    ...disagreements('failed players', [
      ['failed_players length', legacy.failedListed],
      ['derived failed_count', derived.failed_count],
    ]),
    ...legacy.layoutMismatches,
  ];
}

function disagreements(what: string, figures: Array<[string, number]>): string[] {
  const [reference] = figures;
  if (figures.every(([, value]) => value === reference![1])) return [];
  return [`${what}: ${figures.map(([name, value]) => `${name} ${value}`).join(' vs ')}`];
}

/** One line per batch, then one indented line per mismatch. */
export function formatBatchReport(
  legacy: LegacyFigures,
  status: string,
  derived: DerivedFigures | null,
  mismatches: readonly string[],
): string {
  const figures = derived
    ? `completed ${legacy.completedListed}/${derived.completed_count}/${legacy.predictionKeys}, ` +
      `predictions ${legacy.totalPredictions}/${legacy.predictionsSum}/${derived.total_predictions}, ` +
      `failed ${legacy.failedListed}/${derived.failed_count}`
    : 'no derived figures';
  const verdict = mismatches.length === 0 ? 'consistent' : `${mismatches.length} mismatch(es)`;
  return [
    `${legacy.batchId} (${legacy.location}) ${status}: ${verdict} (${figures})`,
    ...mismatches.map((mismatch) => `  MISMATCH ${mismatch}`),
  ].join('\n');
}
