import type { PubSub } from '@google-cloud/pubsub';
import type { PubSubTargetKind } from './target-kind.js';

/** A running Pub/Sub endpoint for tests: Google's emulator or the in-process fake. */
export interface PubSubTarget {
  readonly kind: PubSubTargetKind;
  /** "127.0.0.1:PORT", what PUBSUB_EMULATOR_HOST takes. */
  readonly host: string;
  readonly projectId: string;
  /** A new real @google-cloud/pubsub client on this target; every client made is closed by stop(). */
  client(): PubSub;
  /** Env for a Shotclock child process: PUBSUB_EMULATOR_HOST, GOOGLE_CLOUD_PROJECT, METADATA_SERVER_DETECTION. */
  env(): Record<string, string>;
  /** Drops all topics, subscriptions and messages. */
  reset(): Promise<void>;
  /** Emulator: kills its process group; fake: closes the server. Closes the clients too. */
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same port, with empty state (outage tests). Clients stay open. */
  restart(): Promise<void>;
}

export const DEFAULT_TEST_PROJECT_ID = 'shotclock-test';

export interface StartPubSubTargetOptions {
  projectId?: string;
}
