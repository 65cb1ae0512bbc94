import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** One exported value and where it was in its source (for messages). */
export interface SourceItem {
  /**
   * `line 7` (NDJSON), `index 3` (JSON array, 0-based), `document` (a single JSON document) or
   * the Firestore document's path (`prediction_batches/<id>`).
   */
  location: string;
  /** The value as JSON would hold it, when it could be read. */
  value?: unknown;
  /** Why the value could not be read (not JSON; a bad completion document). */
  problem?: string;
  /** Disagreements the source found between the document's completion layouts (Firestore). */
  layoutMismatches?: string[];
  /** Unknown fields the source found beside the value's own (in completion documents). */
  unknownFields?: string[];
  /** Notes on the document that do not stop its import. */
  warnings?: string[];
}

export type SourceFormat = 'ndjson' | 'json-array' | 'json-document' | 'firestore';

export interface LegacyDocumentSource {
  format: SourceFormat;
  /**
   * Number of values: known up front for JSON files, counted first for Firestore (null when the
   * count failed); null for NDJSON (read as it streams).
   */
  total: number | null;
  items: AsyncIterable<SourceItem>;
}

/**
 * Opens an export of legacy batch documents: a JSON array, a single JSON document (possibly the
 * fixture's `{description, document}` wrapper), or NDJSON with one document per line. NDJSON is
 * streamed line by line so a large export is never held whole; a JSON file is parsed whole, so
 * export large histories as NDJSON.
 */
export async function openLegacyDocuments(path: string): Promise<LegacyDocumentSource> {
  const first = await firstNonBlankLine(path);
  if (first === null) return { format: 'json-array', total: 0, items: fromArray([]) };
  if (!first.startsWith('[') && isJson(first)) {
    return { format: 'ndjson', total: null, items: ndjsonItems(path) };
  }
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (first.startsWith('[')) {
      throw new Error(`${path} starts with '[' but is not valid JSON: ${describeError(error)}`, {
        cause: error,
      });
    }
    // Not one JSON document: read it as NDJSON, so each bad line is reported on its own.
    return { format: 'ndjson', total: null, items: ndjsonItems(path) };
  }
  if (Array.isArray(value))
    return { format: 'json-array', total: value.length, items: fromArray(value) };
  return {
    format: 'json-document',
    total: 1,
    items: fromArray([value], () => 'document'),
  };
}

async function* fromArray(
  values: unknown[],
  locate: (index: number) => string = (index) => `index ${index}`,
): AsyncIterable<SourceItem> {
  for (let index = 0; index < values.length; index++) {
    yield { location: locate(index), value: values[index] };
  }
}

async function* ndjsonItems(path: string): AsyncIterable<SourceItem> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber += 1;
    const line = raw.trim();
    if (line === '') continue;
    try {
      yield { location: `line ${lineNumber}`, value: JSON.parse(line) };
    } catch (error) {
      yield { location: `line ${lineNumber}`, problem: `not JSON: ${describeError(error)}` };
    }
  }
}

async function firstNonBlankLine(path: string): Promise<string | null> {
  const stream = createReadStream(path, 'utf8');
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (line !== '') return line;
    }
    return null;
  } finally {
    lines.close();
    stream.destroy();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    // Only the answer matters here: a line that is not JSON on its own means "not NDJSON".
    return false;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
