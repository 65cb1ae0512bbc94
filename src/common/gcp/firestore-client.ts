import { Firestore } from '@google-cloud/firestore';

export interface FirestoreClientOptions {
  /** GOOGLE_CLOUD_PROJECT (or the project the credentials name when absent). */
  readonly projectId?: string;
  /** FIRESTORE_DATABASE_ID; absent = "(default)". */
  readonly databaseId?: string;
  /** FIRESTORE_EMULATOR_HOST: plain-text gRPC to the emulator with its admin header. */
  readonly emulatorHost?: string;
}

/**
 * A Firestore client on a project's database, or on the emulator: what the Firestore store, the
 * legacy mirror and the legacy import all use. `ignoreUndefinedProperties` is off on purpose: an
 * undefined field is a bug to surface, not a value to drop silently.
 */
export function createFirestoreClient(options: FirestoreClientOptions): Firestore {
  return new Firestore({
    ...(options.projectId ? { projectId: options.projectId } : {}),
    ...(options.databaseId ? { databaseId: options.databaseId } : {}),
    ...(options.emulatorHost ? { host: options.emulatorHost, ssl: false } : {}),
  });
}
