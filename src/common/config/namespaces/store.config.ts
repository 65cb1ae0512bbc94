import { z } from 'zod';
import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { enumText, tokenText } from '../env-schemas.js';
import { Secret } from '../secret.js';

/** Event stores that exist; `postgres` and `firestore` join this list when their adapters do. */
export const EVENT_STORE_KINDS = ['sqlite'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];

/** Event store selection and its connection settings. */
export const STORE_VARS = {
  eventStore: envVar({
    name: 'EVENT_STORE',
    schema: enumText(EVENT_STORE_KINDS),
    expected: `one of: ${EVENT_STORE_KINDS.join(', ')} (postgres and firestore are not implemented yet)`,
    default: 'sqlite' as EventStoreKind,
    description: 'Event store adapter. Only sqlite exists today.',
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
      'PostgreSQL connection URL for the future postgres store. Sensitive: masked when printed.',
  }),
};

export type StoreConfig = EnvValues<typeof STORE_VARS>;
