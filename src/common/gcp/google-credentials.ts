import type { PubSub } from '@google-cloud/pubsub';
import { errorMessage } from '../errors/error-message.js';
import { withDeadline } from './deadline.js';

/** No Google credentials could be found for a client that needs them: the deployment must provide them. */
export class MissingCredentialsError extends Error {}

/**
 * Resolves the credentials a Pub/Sub client will use before the client is asked to call anything.
 * Without credentials, @google-cloud/pubsub 6.3 fails each call and also leaves a rejected promise
 * of its own unhandled (google-gax's stub creation), which ends the process; resolved first, the
 * failure is an ordinary error its caller reports and retries. Resolved once, it is not asked
 * again. The emulator needs no credentials.
 */
export class GoogleCredentials {
  private static readonly perClient = new WeakMap<PubSub, GoogleCredentials>();

  /** The one check of `client`: its subscriptions and topics share what it found. */
  static of(client: PubSub, timeoutMs: number): GoogleCredentials {
    let check = GoogleCredentials.perClient.get(client);
    if (!check) {
      check = new GoogleCredentials(client, timeoutMs);
      GoogleCredentials.perClient.set(client, check);
    }
    return check;
  }

  private resolved = false;

  private constructor(
    private readonly client: PubSub,
    private readonly timeoutMs: number,
  ) {}

  /** True once credentials were found (or none are needed): `ensure()` has nothing left to do. */
  get ready(): boolean {
    return this.resolved || this.client.isEmulator;
  }

  async ensure(): Promise<void> {
    if (this.ready) return;
    try {
      await withDeadline(
        this.client.auth.getClient(),
        this.timeoutMs,
        'finding Google credentials',
      );
      this.resolved = true;
    } catch (error) {
      throw new MissingCredentialsError(
        `no Google credentials for Pub/Sub (${errorMessage(error)}): run with a service account ` +
          '(Cloud Run), Workload Identity (GKE) or GOOGLE_APPLICATION_CREDENTIALS, or set ' +
          'PUBSUB_EMULATOR_HOST for the emulator',
        { cause: error },
      );
    }
  }
}
