import { z } from 'zod';
import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { enumText, integerText, tokenText } from '../env-schemas.js';
import { configIssue, type ConfigIssue } from '../config-issue.js';
import { Secret } from '../secret.js';

/** Event stores that exist. */
export const EVENT_STORE_KINDS = ['sqlite', 'postgres', 'firestore'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

/** Event store selection and its connection settings. */
export const STORE_VARS = {
  eventStore: envVar({
    name: 'EVENT_STORE',
    schema: enumText(EVENT_STORE_KINDS),
    expected: `one of: ${EVENT_STORE_KINDS.join(', ')}`,
    default: 'sqlite' as EventStoreKind,
    description:
      'Event store adapter: sqlite (one instance, embedded file), postgres (shared by any number of instances; needs DATABASE_URL) or firestore (shared, serverless: a Firestore database of GOOGLE_CLOUD_PROJECT).',
  }),
  sqlitePath: envVar({
    name: 'SQLITE_PATH',
    schema: z.string().min(1).max(4096),
    expected: 'a file path',
    default: './data/shotclock.sqlite',
    description: 'SQLite database file (created if missing), relative to the working directory.',
  }),
  sqliteSynchronous: envVar({
    name: 'SQLITE_SYNCHRONOUS',
    schema: enumText(['FULL', 'NORMAL'] as const),
    expected: 'FULL or NORMAL',
    default: 'FULL' as 'FULL' | 'NORMAL',
    description:
      'SQLite durability: FULL survives power loss (an append is answered, and readable by followers and the outbox, only once the WAL is flushed to disk, off the event loop); NORMAL flushes only at checkpoints and may lose the last commits.',
  }),
  databaseUrl: optionalEnvVar({
    name: 'DATABASE_URL',
    schema: tokenText(4096)
      .regex(/^postgres(ql)?:\/\/\S+$/)
      .transform((url) => new Secret(url)),
    expected: 'a postgres:// or postgresql:// URL',
    sensitive: true,
    description:
      'PostgreSQL connection URL, required with EVENT_STORE=postgres. Sensitive: masked when printed.',
  }),
  databasePoolMax: envVar({
    name: 'DATABASE_POOL_MAX',
    schema: integerText(1, 1000),
    expected: 'an integer from 1 to 1000',
    default: 10,
    description:
      'Most PostgreSQL connections one instance opens (EVENT_STORE=postgres); keep instances x this under max_connections.',
  }),
  databaseSchema: envVar({
    name: 'DATABASE_SCHEMA',
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/),
    expected:
      'a lower-case identifier: letters, digits and _, not starting with a digit, at most 63',
    default: 'public',
    description:
      'PostgreSQL schema holding the store (EVENT_STORE=postgres); created and migrated at start.',
  }),
  firestoreCollectionPrefix: envVar({
    name: 'FIRESTORE_COLLECTION_PREFIX',
    schema: z.string().regex(/^(?!__)[A-Za-z0-9_-]{1,64}$/),
    expected: 'letters, digits, _ and -, at most 64, not starting with __',
    default: 'shotclock_',
    description:
      'EVENT_STORE=firestore: every collection of the store is named <prefix><name> (shotclock_events, ...), so it can share a database.',
  }),
};

export type StoreConfig = EnvValues<typeof STORE_VARS>;

/**
 * Largest request body the Firestore store can quarantine whole: one transaction carries at most
 * 10 MiB in production and 4 MiB on the emulator (its gRPC message limit).
 */
export const FIRESTORE_MAX_QUARANTINE_BODY_BYTES = 4_000_000;

/** What EVENT_STORE=firestore needs from other namespaces: checked at start, not at first use. */
export function firestoreStoreIssues(
  store: StoreConfig,
  bodyLimitBytes: number,
  googleCloudProject: string | undefined,
): ConfigIssue[] {
  if (store.eventStore !== 'firestore') return [];
  const issues: ConfigIssue[] = [];
  if (googleCloudProject === undefined) {
    issues.push(
      configIssue(
        'GOOGLE_CLOUD_PROJECT',
        '(unset)',
        'the project whose Firestore database holds the store, required with EVENT_STORE=firestore',
      ),
    );
  }
  if (bodyLimitBytes > FIRESTORE_MAX_QUARANTINE_BODY_BYTES) {
    issues.push(
      configIssue(
        'BODY_LIMIT_BYTES',
        String(bodyLimitBytes),
        `at most ${FIRESTORE_MAX_QUARANTINE_BODY_BYTES} with EVENT_STORE=firestore (a quarantined body is kept in one Firestore transaction)`,
      ),
    );
  }
  return issues;
}
