import { z } from 'zod';

/**
 * The longest text each kind of input field may hold, in characters (UTF-16 code units, what
 * JavaScript's `length` counts). Every boundary (admin bodies, push data, config files, scraper
 * answers) takes its limits from here, so a field has one limit wherever it enters.
 *
 * Identifying text (ids, names, reasons) longer than its limit is refused: an admin request
 * answers 400 naming the field and the limit, push data is quarantined as `schema_violation`
 * naming them. Informational text (error messages, worker names, timestamps as sent) is cut to its
 * limit, and the stored event says so next to it (`<field>_truncated_from: <original length>`).
 */
export const TEXT_LIMITS = {
  /** batch_id: part of stream names (`batch-<id>-player-<player>`) and read-model keys. */
  batchId: 200,
  /** player_lookup as a worker reports it (expected players are stricter, see below). */
  playerLookup: 200,
  /** An id of POST /v1/batches expected_players (the workers' lowercase ids). */
  expectedPlayer: 128,
  /**
   * correlation_id of batches, phase-2 messages, prediction messages and `x-correlation-id`:
   * copied into outbound Pub/Sub attributes, whose values hold at most 1,024 bytes (256 UTF-16
   * units are at most 768 UTF-8 bytes).
   */
  correlationId: 256,
  /** execution_id of a phase-2 processor's message (kept in its event). */
  executionId: 500,
  /** processor_name and phase of a phase-2 message (a class name; kept in the phase state). */
  processorName: 500,
  /** Workflow, scraper and step names of config/workflows.yaml (stream names and keys). */
  configName: 200,
  /** Descriptions and module paths of config/workflows.yaml (shown back, never keys). */
  configText: 1000,
  /** The reason of a manual phase-3 trigger (shown back in views and 409 answers). */
  manualReason: 500,
  /** BigQuery output_table / output_dataset of a phase-2 message (BigQuery's own limit). */
  bigQueryName: 1024,
  /** A publisher's timestamp as sent (phase-2 `timestamp`, a prediction's `timestamp`/`game_date`). */
  reportedText: 100,
  /** error_message of a prediction failure, and errors of workflow steps (scraper answers). */
  errorMessage: 1000,
  /** worker_instance of a prediction success. */
  workerInstance: 200,
  /** A cursor, prefix or filter in a query string (the keys and stream ids they name are shorter). */
  queryText: 1000,
} as const;

/** The message of a refusal: the caller's error names the field (zod paths do). */
export const tooLongProblem = (max: number) => `at most ${max} characters`;

/** A string of at most `max` characters whose refusal names the limit. */
export const boundedString = (max: number) => z.string().max(max, tooLongProblem(max));

/** Informational text cut to its limit: the kept text and, when cut, the original length. */
export interface CutText {
  text: string;
  truncatedFrom: number | null;
}

/**
 * Cuts `text` to at most `max` characters, never between the two halves of a surrogate pair (a
 * lone half is text no store accepts).
 */
export function cutText(text: string, max: number): CutText {
  if (text.length <= max) return { text, truncatedFrom: null };
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return { text: text.slice(0, end), truncatedFrom: text.length };
}

/** The fields `cutFields` adds: `<field>_truncated_from` for each field it had to cut. */
export type TruncationNotes<T> = {
  [K in keyof T as `${K & string}_truncated_from`]?: number;
};

/**
 * Informational fields cut to their limits, to spread into an event: each field's kept text (null
 * stays null) and, for each field that was cut, `<field>_truncated_from: <original length>`.
 */
export function cutFields<T extends Record<string, string | null>>(
  fields: T,
  limits: { readonly [K in keyof T]: number },
): T & TruncationNotes<T> {
  const result: Record<string, string | number | null> = {};
  for (const [field, text] of Object.entries(fields)) {
    if (text === null) {
      result[field] = null;
      continue;
    }
    const cut = cutText(text, limits[field as keyof T]);
    result[field] = cut.text;
    if (cut.truncatedFrom !== null) result[`${field}_truncated_from`] = cut.truncatedFrom;
  }
  // Built from `fields` key by key: the same keys, each cut one with its note beside it.
  return result as T & TruncationNotes<T>;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
