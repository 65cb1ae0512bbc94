import { z } from 'zod';
import { findUnsupportedText, unsupportedTextProblem } from '../../common/event-store/index.js';
import {
  batchIdSchema,
  gameDateSchema,
  reportedPlayerSchema,
} from '../../modules/batches/batch-identifiers.js';

const timestamp = z.iso.datetime({ offset: true });
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
    start_time: timestamp.nullish(),
    completion_time: timestamp.nullish(),
    correlation_id: z.string().min(1).nullish(),
    created_at: timestamp.nullish(),
    updated_at: timestamp.nullish(),
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
