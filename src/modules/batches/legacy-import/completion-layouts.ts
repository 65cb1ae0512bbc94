import { z } from 'zod';
import { reportedPlayerSchema } from '../batch-identifiers.js';

/** The subcollection layout's counters on the batch document (consumed here, not by the schema). */
export const SUBCOLLECTION_COUNTERS = ['completed_count', 'total_predictions_subcoll'] as const;

/** One document of `prediction_batches/{id}/completions/{player_lookup}`, as read. */
export interface CompletionDocument {
  id: string;
  data: Record<string, unknown>;
}

export interface MergedLayouts {
  /** The batch document in the legacy layout, holding the union of both layouts' completions. */
  value: Record<string, unknown>;
  /** Disagreements between (or within) the layouts, for the consistency report. */
  layoutMismatches: string[];
  /** Why the document cannot be imported (a bad completion document or counter). */
  problem?: string;
  /** Fields of completion documents the import does not know (`completions.<field>`), for warnings. */
  unknownFields: string[];
}

/** Names listed in one mismatch line before the rest is only counted. */
const NAMES_SHOWN = 5;

const count = z.int().nonnegative();
const completionSchema = z.object({
  player_lookup: reportedPlayerSchema.optional(),
  predictions_count: count,
});
/** Read from a completion document; `completed_at` is known but unused (see the docs). */
const COMPLETION_FIELDS = new Set(['player_lookup', 'predictions_count', 'completed_at']);

/**
 * Folds the subcollection layout (one `completions` document per player, `completed_count` and
 * `total_predictions_subcoll` on the parent) into the legacy layout (`completed_players`,
 * `predictions_by_player`, `total_predictions`). A batch the platform dual-wrote has both, not
 * atomically, so they are united: every player either layout lists is completed; where both give
 * a player's predictions the subcollection's count is taken (its per-player document was the
 * write the platform moved to); `total_predictions` stays the document's own unless only the
 * subcollection holds completions. Every disagreement is reported, never resolved silently.
 */
export function mergeCompletionLayouts(
  data: Record<string, unknown>,
  completions: readonly CompletionDocument[],
): MergedLayouts {
  const counters = readCounters(data);
  const hasSubcollection =
    completions.length > 0 || SUBCOLLECTION_COUNTERS.some((name) => name in data);
  if (!hasSubcollection) return { value: data, layoutMismatches: [], unknownFields: [] };

  const parsed = parseCompletions(completions);
  const unknownFields = unknownCompletionFields(completions);
  const problems = [...counters.problems, ...parsed.problems];
  const value: Record<string, unknown> = { ...data };
  for (const name of SUBCOLLECTION_COUNTERS) delete value[name];
  if (problems.length > 0) {
    return { value, layoutMismatches: [], problem: problems.join('; '), unknownFields };
  }

  const subcollection = parsed.predictions;
  const legacyPlayers = Array.isArray(data.completed_players) ? data.completed_players : undefined;
  const legacyPredictions = isRecord(data.predictions_by_player)
    ? data.predictions_by_player
    : undefined;
  if (legacyPlayers || !('completed_players' in data)) {
    const listed = legacyPlayers ?? [];
    const seen = new Set<unknown>(listed);
    value.completed_players = [...listed, ...[...subcollection.keys()].filter((p) => !seen.has(p))];
  }
  if (legacyPredictions || !('predictions_by_player' in data)) {
    value.predictions_by_player = { ...legacyPredictions, ...Object.fromEntries(subcollection) };
  }
  // An empty array and map next to a subcollection mean the legacy fields were not written.
  const hasLegacy =
    (legacyPlayers?.length ?? 0) > 0 || Object.keys(legacyPredictions ?? {}).length > 0;
  if (counters.totalPredictions !== undefined && (!hasLegacy || value.total_predictions == null)) {
    value.total_predictions = counters.totalPredictions;
  }

  return {
    value,
    unknownFields,
    layoutMismatches: [
      ...subcollectionMismatches(subcollection, counters),
      ...(hasLegacy
        ? layoutDisagreements(data, legacyPlayers, legacyPredictions, subcollection, counters)
        : []),
    ],
  };
}

interface Counters {
  completedCount: number | undefined;
  totalPredictions: number | undefined;
  problems: string[];
}

function readCounters(data: Record<string, unknown>): Counters {
  const problems: string[] = [];
  const read = (name: (typeof SUBCOLLECTION_COUNTERS)[number]): number | undefined => {
    if (data[name] === undefined || data[name] === null) return undefined;
    const parsed = count.safeParse(data[name]);
    if (parsed.success) return parsed.data;
    problems.push(`${name}: expected a non-negative integer, got ${describe(data[name])}`);
    return undefined;
  };
  return {
    completedCount: read('completed_count'),
    totalPredictions: read('total_predictions_subcoll'),
    problems,
  };
}

function parseCompletions(completions: readonly CompletionDocument[]) {
  const predictions = new Map<string, number>();
  const problems: string[] = [];
  for (const { id, data } of completions) {
    const parsed = completionSchema.safeParse(data);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      problems.push(`completions/${id}: ${issues.join(', ')}`);
      continue;
    }
    const player = parsed.data.player_lookup ?? id;
    if (player !== id) {
      problems.push(`completions/${id}: player_lookup ${player} differs from the document id`);
      continue;
    }
    if (!reportedPlayerSchema.safeParse(id).success) {
      problems.push(`completions/${id}: the document id is not a player id (no spaces or "/")`);
      continue;
    }
    predictions.set(player, parsed.data.predictions_count);
  }
  return { predictions, problems };
}

function unknownCompletionFields(completions: readonly CompletionDocument[]): string[] {
  const unknown = new Set<string>();
  for (const { data } of completions) {
    for (const field of Object.keys(data)) {
      if (!COMPLETION_FIELDS.has(field)) unknown.add(`completions.${field}`);
    }
  }
  return [...unknown];
}

function subcollectionMismatches(subcollection: Map<string, number>, counters: Counters): string[] {
  const mismatches: string[] = [];
  if (counters.completedCount !== undefined && counters.completedCount !== subcollection.size) {
    mismatches.push(
      `subcollection completions: completed_count ${counters.completedCount} vs completion documents ${subcollection.size}`,
    );
  }
  const sum = [...subcollection.values()].reduce((total, n) => total + n, 0);
  if (counters.totalPredictions !== undefined && counters.totalPredictions !== sum) {
    mismatches.push(
      `subcollection predictions: total_predictions_subcoll ${counters.totalPredictions} vs sum of predictions_count ${sum}`,
    );
  }
  return mismatches;
}

function layoutDisagreements(
  data: Record<string, unknown>,
  legacyPlayers: unknown[] | undefined,
  legacyPredictions: Record<string, unknown> | undefined,
  subcollection: Map<string, number>,
  counters: Counters,
): string[] {
  const mismatches: string[] = [];
  const listed = new Set(legacyPlayers ?? []);
  const onlySubcollection = [...subcollection.keys()].filter((player) => !listed.has(player));
  const onlyLegacy = [...listed].filter((player) => !subcollection.has(player as string));
  if (onlySubcollection.length > 0 || onlyLegacy.length > 0) {
    mismatches.push(
      `layouts disagree on completed players: only in the completions subcollection ${names(onlySubcollection)}; ` +
        `only in completed_players ${names(onlyLegacy)}`,
    );
  }
  const differing = [...subcollection]
    .filter(
      ([player, n]) => legacyPredictions?.[player] !== undefined && legacyPredictions[player] !== n,
    )
    .map(
      ([player, n]) =>
        `${player} (predictions_count ${n}, predictions_by_player ${describe(legacyPredictions?.[player])})`,
    );
  if (differing.length > 0) {
    mismatches.push(`layouts disagree on predictions of ${names(differing)}`);
  }
  const legacyTotal = data.total_predictions;
  if (
    counters.totalPredictions !== undefined &&
    typeof legacyTotal === 'number' &&
    legacyTotal !== counters.totalPredictions
  ) {
    mismatches.push(
      `layouts disagree on predictions: total_predictions ${legacyTotal} vs total_predictions_subcoll ${counters.totalPredictions}`,
    );
  }
  return mismatches;
}

/** `none`, or up to NAMES_SHOWN names and how many more: a mismatch line stays one line. */
function names(items: readonly unknown[]): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, NAMES_SHOWN).map(String).join(', ');
  const more = items.length - NAMES_SHOWN;
  return `${items.length} (${shown}${more > 0 ? `, and ${more} more` : ''})`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
