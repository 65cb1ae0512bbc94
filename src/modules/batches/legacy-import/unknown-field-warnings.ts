import { legacyBatchDocumentSchema, unwrapLegacyDocument } from './legacy-batch-document.schema.js';

const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(legacyBatchDocumentSchema.shape));

/**
 * Distinct unknown field names counted one by one; past this they are counted together, so a
 * source whose documents each carry different names cannot grow the tally without bound.
 */
const NAMES_TRACKED = 50;
const OTHER_NAMES = '(other names)';

/** The top-level fields of an exported value that the legacy schema does not read. */
export function unknownFieldsOf(value: unknown): string[] {
  const document = unwrapLegacyDocument(value);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return [];
  return Object.keys(document).filter((field) => !KNOWN_FIELDS.has(field));
}

/**
 * Unknown fields are ignored, never a reason to refuse a document: the first document carrying a
 * name gets a warning line, later ones are only counted, and the counts close the import.
 */
export class UnknownFieldWarnings {
  private readonly seen = new Map<string, { documents: number; first: string }>();

  /** Counts `fields` for the document at `location`; returns the names not seen before. */
  note(location: string, fields: readonly string[]): string[] {
    const fresh: string[] = [];
    for (const field of new Set(fields)) {
      const name = this.seen.has(field) || this.seen.size < NAMES_TRACKED ? field : OTHER_NAMES;
      const entry = this.seen.get(name);
      if (entry) entry.documents += 1;
      else {
        this.seen.set(name, { documents: 1, first: location });
        fresh.push(name);
      }
    }
    return fresh;
  }

  /** One line naming every unknown field and how many documents had it; null when none had any. */
  summary(): string | null {
    if (this.seen.size === 0) return null;
    const fields = [...this.seen].map(
      ([name, { documents, first }]) => `${name} in ${documents} document(s) (first ${first})`,
    );
    return `warning: unknown fields ignored: ${fields.join(', ')}`;
  }
}
