import { parseArgs } from 'node:util';
import { gameDateSchema } from '../batch-identifiers.js';
import { LEGACY_BATCHES_COLLECTION } from './firestore-document-source.js';

/** What `npm run import:legacy-batches -- ...` was asked to do. */
export type LegacyImportArguments =
  | { kind: 'help' }
  | { kind: 'usage'; problem: string }
  | { kind: 'file'; path: string }
  | { kind: 'firestore'; collection: string; since: string | null };

/** A collection id Firestore accepts: no `/`, not `.` or `..`, not `__name__`-like, at most 1,500 bytes. */
const COLLECTION_ID = /^(?!\.\.?$)(?!__.*__$)[^/]+$/;
const MAX_COLLECTION_ID_BYTES = 1500;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'from-firestore': { type: 'boolean' },
  collection: { type: 'string' },
  since: { type: 'string' },
} as const;

/** Reads the command line: `FILE`, or `--from-firestore [--collection NAME] [--since DATE]`, or `--help`. */
export function parseLegacyImportArguments(argv: readonly string[]): LegacyImportArguments {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // parseArgs names the unknown option or the missing value: that is the usage problem.
    return { kind: 'usage', problem: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (!values['from-firestore']) {
    if (values.collection !== undefined || values.since !== undefined) {
      return { kind: 'usage', problem: '--collection and --since go with --from-firestore' };
    }
    if (positionals.length !== 1) {
      return { kind: 'usage', problem: 'name one FILE, or --from-firestore' };
    }
    return { kind: 'file', path: positionals[0]! };
  }
  if (positionals.length > 0) {
    return {
      kind: 'usage',
      problem: `--from-firestore takes no FILE (got ${positionals.join(' ')})`,
    };
  }
  const collection = values.collection ?? LEGACY_BATCHES_COLLECTION;
  if (!COLLECTION_ID.test(collection) || Buffer.byteLength(collection) > MAX_COLLECTION_ID_BYTES) {
    return {
      kind: 'usage',
      problem: `--collection ${collection}: expected a top-level collection id (no "/", not "." or "..", not __x__)`,
    };
  }
  if (values.since === undefined) return { kind: 'firestore', collection, since: null };
  const since = gameDateSchema.safeParse(values.since);
  if (!since.success) {
    return {
      kind: 'usage',
      problem: `--since ${values.since}: expected a game date YYYY-MM-DD (${since.error.issues[0]?.message})`,
    };
  }
  return { kind: 'firestore', collection, since: since.data };
}
