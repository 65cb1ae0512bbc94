import { z } from 'zod';
import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { enumText, integerText, tokenText } from '../env-schemas.js';
import { Secret } from '../secret.js';

/** Event stores that exist; `firestore` joins this list when its adapter does. */
export const EVENT_STORE_KINDS = ['sqlite', 'postgres'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

/** Event store selection and its connection settings. */
export const STORE_VARS = {
  eventStore: envVar({
    name: 'EVENT_STORE',
    schema: enumText(EVENT_STORE_KINDS),
    expected: `one of: ${EVENT_STORE_KINDS.join(', ')} (firestore is not implemented yet)`,
    default: 'sqlite' as EventStoreKind,
    description:
      'Event store adapter: sqlite (one instance, embedded file) or postgres (shared by any number of instances; needs DATABASE_URL).',
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
      'SQLite PRAGMA synchronous: FULL survives power loss; NORMAL is faster and may lose the last commits.',
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
};

export type StoreConfig = EnvValues<typeof STORE_VARS>;
