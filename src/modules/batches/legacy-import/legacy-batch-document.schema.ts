import { z } from 'zod';
import { findUnsupportedText, unsupportedTextProblem } from '../../../common/event-store/index.js';
import { batchIdSchema, gameDateSchema, reportedPlayerSchema } from '../batch-identifiers.js';
import { informational } from '../../../common/ingestion/informational-field.js';

/**
 * A date and time as Python writes it: `str(datetime)` (`2026-11-28 00:00:00`,
 * `2026-11-28 00:00:00.123456+00:00`) or `isoformat()` (a `T` instead of the space), with or
 * without an offset.
 */
const PYTHON_DATETIME =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Python's forms in RFC 3339: the space becomes `T`, and a naive time (no offset) is UTC, as the
 * legacy system wrote them. RFC 3339 text comes out unchanged (so the document's fingerprint, and
 * a re-import of an earlier export, are unaffected); anything else is left for the schema to refuse.
 */
export function pythonTimestampAsRfc3339(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = PYTHON_DATETIME.exec(value);
  return match ? `${match[1]}T${match[2]}${match[3] ?? 'Z'}` : value;
}

const timestamp = informational(
  z.preprocess(pythonTimestampAsRfc3339, z.iso.datetime({ offset: true }).nullish()),
);
/** Player ids become stream names, so the batches module's rule for reported ids applies. */
const playerLookup = reportedPlayerSchema;

/**
 * One batch document as the legacy system stored it in Firestore `prediction_batches` (see
 * ../shared/fixtures/legacy-batch-document.json). `completed_players` grew with ArrayUnion and
 * `total_predictions` with an increment, so the two may disagree with `predictions_by_player`:
 * that is what the consistency report looks for, so the schema accepts it.
 */
export const legacyBatchDocumentSchema = z
  .object({
    batch_id: batchIdSchema,
    game_date: gameDateSchema,
    expected_players: z.int().nonnegative(),
    completed_players: z.array(playerLookup).default([]),
    failed_players: z.array(playerLookup).default([]),
    predictions_by_player: z.record(playerLookup, z.int().nonnegative()).default({}),
    total_predictions: z.int().nonnegative(),
    is_complete: z.boolean(),
    start_time: timestamp,
    completion_time: timestamp,
    correlation_id: informational(z.string().min(1).nullish()),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .refine((doc) => Boolean(doc.start_time ?? doc.created_at), {
    message: 'needs start_time or created_at (the batch start time)',
    path: ['start_time'],
  });

export type LegacyBatchDocument = z.infer<typeof legacyBatchDocumentSchema>;

/** The fixture's `{description, document}` wrapper, unwrapped; anything else is returned as is. */
export function unwrapLegacyDocument(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (!('batch_id' in record) && typeof record.document === 'object') return record.document;
  }
  return value;
}

export type ParsedLegacyDocument =
  { ok: true; document: LegacyBatchDocument } | { ok: false; problem: string };

/** Validates one exported value; a failure names every bad field. */
export function parseLegacyDocument(value: unknown): ParsedLegacyDocument {
  const result = legacyBatchDocumentSchema.safeParse(unwrapLegacyDocument(value));
  if (result.success) {
    // Rejected like any invalid document: the store would refuse it and end the whole import.
    const unsupported = findUnsupportedText(result.data, 'document');
    if (unsupported !== null) return { ok: false, problem: unsupportedTextProblem(unsupported) };
    return { ok: true, document: result.data };
  }
  const problem = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, problem };
}
