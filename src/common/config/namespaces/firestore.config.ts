import { optionalEnvVar, type EnvValues } from '../env-var.js';
import { tokenText } from '../env-schemas.js';

/**
 * The Firestore database Shotclock writes (the legacy mirror, FIRESTORE_LEGACY_MIRROR), in
 * GOOGLE_CLOUD_PROJECT.
 */
export const FIRESTORE_VARS = {
  firestoreEmulatorHost: optionalEnvVar({
    name: 'FIRESTORE_EMULATOR_HOST',
    schema: tokenText(255).regex(/^[^\s/]+:\d{1,5}$/),
    expected: 'host:port of a Firestore emulator',
    description:
      "Uses the Firestore emulator at this address instead of Google's endpoint (development and tests).",
  }),
  firestoreDatabaseId: optionalEnvVar({
    name: 'FIRESTORE_DATABASE_ID',
    schema: tokenText(63).regex(/^(\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$/),
    expected:
      'a Firestore database id: (default), or 4 to 63 lowercase letters, digits and hyphens starting with a letter',
    description: 'The Firestore database of GOOGLE_CLOUD_PROJECT; (default) when unset.',
  }),
};

export type FirestoreConfig = EnvValues<typeof FIRESTORE_VARS>;
