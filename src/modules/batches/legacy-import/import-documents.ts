import { legacyFiguresOf } from './consistency-check.js';
import { ImportTally, type BatchEntry } from './import-summary.js';
import { parseLegacyDocument } from './legacy-batch-document.schema.js';
import type { LegacyBatchImporter } from './legacy-batch-importer.js';
import type { LegacyDocumentSource, SourceItem } from './legacy-document-source.js';
import { UnknownFieldWarnings, unknownFieldsOf } from './unknown-field-warnings.js';

/** A progress line every this many documents. */
export const PROGRESS_EVERY = 1000;

export interface ImportOutput {
  /** Progress and notes (stdout). */
  out(line: string): void;
  /** A document that was not imported, or a warning, with its location (stderr). */
  problem(line: string): void;
}

export interface ImportRun {
  tally: ImportTally;
  /** Each batch of the source once (its first occurrence), with the figures its report needs. */
  batches: Map<string, BatchEntry>;
  unknownFields: UnknownFieldWarnings;
}

/** Validates and imports every document of `source`, reporting bad ones and going on. */
export async function importDocuments(
  source: LegacyDocumentSource,
  importer: LegacyBatchImporter,
  output: ImportOutput,
): Promise<ImportRun> {
  const run: ImportRun = {
    tally: new ImportTally(),
    batches: new Map(),
    unknownFields: new UnknownFieldWarnings(),
  };
  const total = source.total === null ? 'unknown' : String(source.total);
  for await (const item of source.items) {
    run.tally.read += 1;
    await importOne(item, importer, run, output);
    if (run.tally.read % PROGRESS_EVERY === 0) output.out(`imported ${run.tally.read}/${total}`);
  }
  if (run.tally.read % PROGRESS_EVERY !== 0) output.out(`imported ${run.tally.read}/${total}`);
  const unknown = run.unknownFields.summary();
  if (unknown !== null) output.out(unknown);
  return run;
}

async function importOne(
  item: SourceItem,
  importer: LegacyBatchImporter,
  { tally, batches, unknownFields }: ImportRun,
  output: ImportOutput,
): Promise<void> {
  for (const warning of item.warnings ?? [])
    output.problem(`warning: ${item.location}: ${warning}`);
  const fresh = unknownFields.note(item.location, [
    ...unknownFieldsOf(item.value),
    ...(item.unknownFields ?? []),
  ]);
  if (fresh.length > 0) {
    output.problem(
      `warning: ${item.location}: unknown field(s) ignored: ${fresh.join(', ')} ` +
        '(later documents with them are only counted)',
    );
  }
  const parsed = item.problem
    ? ({ ok: false, problem: item.problem } as const)
    : parseLegacyDocument(item.value);
  if (!parsed.ok) {
    tally.rejected += 1;
    output.problem(`${item.location}: invalid legacy batch document: ${parsed.problem}`);
    return;
  }
  const doc = parsed.document;
  const outcome = await importer.import(doc).catch((error: unknown) => {
    throw new Error(
      `${item.location}: importing batch ${doc.batch_id} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  });
  if (outcome.kind === 'conflict') {
    tally.rejected += 1;
    output.problem(`${item.location}: ${outcome.problem}`);
    return;
  }
  if (outcome.kind === 'imported') tally.imported += 1;
  else tally.skipped += 1;
  const earlier = batches.get(doc.batch_id);
  if (earlier) {
    output.out(`${item.location}: ${doc.batch_id} repeats ${earlier.figures.location}; skipped`);
    return;
  }
  batches.set(doc.batch_id, {
    figures: legacyFiguresOf(doc, item.location, item.layoutMismatches),
    status: outcome.kind === 'imported' ? 'imported' : `skipped (${outcome.note})`,
  });
}
