import { Timestamp } from '@google-cloud/firestore';
import type { LegacyMirrorMismatch, LegacyMirrorReport } from '../../batches/index.js';
import type { BatchLayout } from '../documents/batch-layout.js';
import type { BatchMirrorState } from '../documents/batch-documents.js';
import {
  batchDocumentPath,
  batchStateKey,
  completionsCollection,
  MIRROR_STATE,
} from '../documents/mirror-paths.js';

export type LayoutRead = LegacyMirrorReport['layout_read'];

/** A batch's documents: as read from Firestore, or as replaying the log writes them. */
export interface MirroredBatch {
  state: BatchMirrorState | null;
  document: Record<string, unknown> | null;
  /** Completion documents by player. */
  completions: ReadonlyMap<string, Record<string, unknown>>;
}

const BASE_FIELDS = [
  'batch_id',
  'game_date',
  'expected_players',
  'total_predictions',
  'is_complete',
  'start_time',
  'completion_time',
  'correlation_id',
  'stall_completed',
  'stall_reason',
  'created_at',
  'updated_at',
];
const SUBCOLLECTION_FIELDS = ['completed_count', 'total_predictions_subcoll'];
const LEGACY_LISTS = ['completed_players', 'failed_players'];
const LEGACY_FLAGS = ['legacy_write_stopped', 'legacy_write_stopped_reason'];
const COMPLETION_FIELDS = ['player_lookup', 'completed_at', 'predictions_count'];
/** Items of a list shown in a mismatch before the rest is only counted. */
const ITEMS_SHOWN = 5;

/** What a check reads back: a dual-written batch in both layouts, else the one the readers use. */
export function layoutToRead(layout: BatchLayout, readsSubcollection: boolean): LayoutRead {
  if (layout.subcollection && layout.legacy) return 'both';
  return readsSubcollection ? 'subcollection' : 'legacy';
}

/**
 * Every difference between the documents in Firestore (`actual`) and those replaying the log
 * writes (`expected`), in the layout(s) read; plus what a reader of that layout would miss: a
 * layout the batch was not written in, or legacy fields stopped at 1 MiB (`completedInLog`: how
 * many players the log says completed).
 */
export function compareMirroredBatch(
  batchId: string,
  read: LayoutRead,
  expected: MirroredBatch,
  actual: MirroredBatch,
  completedInLog: number,
): LegacyMirrorMismatch[] {
  const path = batchDocumentPath(batchId);
  const mismatches: LegacyMirrorMismatch[] = [];
  if (actual.state === null && expected.state !== null) {
    mismatches.push(missing(`${MIRROR_STATE}/${batchStateKey(batchId)}`, 'the mirror state'));
  }
  if (expected.document === null) return mismatches;
  if (actual.document === null) return [...mismatches, missing(path, 'the batch document')];
  const layout = expected.state?.layout ?? { subcollection: false, legacy: false };
  const fields = (names: readonly string[]) =>
    mismatches.push(...fieldMismatches(path, names, expected.document!, actual.document!));

  fields(BASE_FIELDS);
  if (read !== 'legacy') {
    if (layout.subcollection) {
      fields(SUBCOLLECTION_FIELDS);
      mismatches.push(...completionMismatches(batchId, expected.completions, actual.completions));
    } else {
      mismatches.push(
        layoutMissing(path, 'the completions subcollection (USE_SUBCOLLECTION_READS is on for it)'),
      );
    }
  }
  if (read !== 'subcollection') {
    if (layout.legacy) {
      mismatches.push(...legacyMismatches(path, expected.document, actual.document));
      fields(LEGACY_FLAGS);
      if (expected.state?.legacy_stopped) {
        const listed = listOf(actual.document['completed_players']).length;
        mismatches.push({
          document: path,
          field: 'completed_players',
          expected: `${completedInLog} completed players (the log)`,
          actual: `${listed} listed: legacy writes stopped before the document would pass 1 MiB`,
        });
      }
    } else {
      mismatches.push(
        layoutMissing(path, 'the legacy completion fields (USE_SUBCOLLECTION_READS is off for it)'),
      );
    }
  }
  return mismatches;
}

function missing(document: string, what: string): LegacyMirrorMismatch {
  return { document, field: null, expected: what, actual: null };
}

function layoutMissing(document: string, read: string): LegacyMirrorMismatch {
  return {
    document,
    field: null,
    expected: `readers use ${read}`,
    actual: 'the batch was not written in that layout (its flags when it was created)',
  };
}

function fieldMismatches(
  document: string,
  names: readonly string[],
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
): LegacyMirrorMismatch[] {
  return names
    .filter((name) => !same(expected[name], actual[name]))
    .map((name) => ({
      document,
      field: name,
      expected: shown(expected[name]),
      actual: shown(actual[name]),
    }));
}

function legacyMismatches(
  document: string,
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
): LegacyMirrorMismatch[] {
  const mismatches: LegacyMirrorMismatch[] = [];
  for (const name of LEGACY_LISTS) {
    const want = listOf(expected[name]);
    const have = listOf(actual[name]);
    if (same(want, have)) continue;
    mismatches.push({ document, field: name, ...listDifference(want, have) });
  }
  const want = mapOf(expected['predictions_by_player']);
  const have = mapOf(actual['predictions_by_player']);
  for (const player of new Set([...Object.keys(want), ...Object.keys(have)])) {
    if (same(want[player], have[player])) continue;
    mismatches.push({
      document,
      field: `predictions_by_player[${JSON.stringify(player)}]`,
      expected: want[player] ?? null,
      actual: have[player] ?? null,
    });
  }
  return mismatches;
}

function completionMismatches(
  batchId: string,
  expected: ReadonlyMap<string, Record<string, unknown>>,
  actual: ReadonlyMap<string, Record<string, unknown>>,
): LegacyMirrorMismatch[] {
  const collection = completionsCollection(batchId);
  const mismatches: LegacyMirrorMismatch[] = [];
  for (const [player, want] of expected) {
    const path = `${collection}/${player}`;
    const have = actual.get(player);
    if (!have)
      mismatches.push({ document: path, field: null, expected: shown(want), actual: null });
    else mismatches.push(...fieldMismatches(path, COMPLETION_FIELDS, want, have));
  }
  for (const [player, have] of actual) {
    if (expected.has(player)) continue;
    mismatches.push({
      document: `${collection}/${player}`,
      field: null,
      expected: null,
      actual: shown(have),
    });
  }
  return mismatches;
}

function listDifference(want: readonly unknown[], have: readonly unknown[]) {
  const wanted = new Set(want);
  const held = new Set(have);
  const absent = want.filter((item) => !held.has(item));
  const extra = have.filter((item) => !wanted.has(item));
  const notes = [
    absent.length > 0 ? `missing ${names(absent)}` : null,
    extra.length > 0 ? `not in the log ${names(extra)}` : null,
    have.length !== held.size ? 'duplicates' : null,
    absent.length === 0 && extra.length === 0 && have.length === held.size
      ? 'the same items in another order'
      : null,
  ].filter((note) => note !== null);
  return { expected: `${want.length} items`, actual: `${have.length} items: ${notes.join('; ')}` };
}

function names(items: readonly unknown[]): string {
  const listed = items.slice(0, ITEMS_SHOWN).map(String).join(', ');
  const more = items.length - ITEMS_SHOWN;
  return `${items.length} (${listed}${more > 0 ? `, and ${more} more` : ''})`;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function mapOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Equal as Firestore values: timestamps by instant, maps whatever their key order. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
}

/** JSON for the report: timestamps as ISO text, maps with sorted keys, absent as null. */
export function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, plain(record[key])]),
    );
  }
  return value;
}

/** A value as a mismatch shows it: long lists and maps only counted. */
function shown(value: unknown): unknown {
  if (Array.isArray(value) && value.length > ITEMS_SHOWN) return `${value.length} items`;
  return plain(value);
}
