import type { Firestore } from '@google-cloud/firestore';
import type { EmulatorTargetKind } from '../emulators/emulator-kind.js';

/** A running Firestore endpoint for tests: Google's emulator or the in-process fake. */
export interface FirestoreTarget {
  readonly kind: EmulatorTargetKind;
  /** "127.0.0.1:PORT", what FIRESTORE_EMULATOR_HOST takes. */
  readonly host: string;
  readonly projectId: string;
  /**
   * A new real @google-cloud/firestore client on this target (default: the target's project; pass
   * another project id for an isolated database on the same target). stop() terminates every client.
   */
  client(projectId?: string): Firestore;
  /** Env for a Shotclock child process: FIRESTORE_EMULATOR_HOST, GOOGLE_CLOUD_PROJECT, METADATA_SERVER_DETECTION. */
  env(projectId?: string): Record<string, string>;
  /** Deletes every document of `projectId` (default: the target's project). */
  reset(projectId?: string): Promise<void>;
  /** Emulator: kills its process group (unless attached to one started elsewhere); fake: closes the server. */
  stop(): Promise<void>;
}

export const DEFAULT_FIRESTORE_TEST_PROJECT_ID = 'shotclock-test';

/** An already running emulator to attach to instead of starting one (development loops, benchmarks). */
export const FIRESTORE_ATTACH_ENV = 'SHOTCLOCK_FIRESTORE_EMULATOR_HOST';
