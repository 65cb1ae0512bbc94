import { PubSub } from '@google-cloud/pubsub';

/**
 * A Pub/Sub client on a project, or on the emulator at `emulatorHost` (PUBSUB_EMULATOR_HOST):
 * what the outbox publisher and the pull transport both use.
 */
export function createPubSubClient(projectId: string | undefined, emulatorHost?: string): PubSub {
  return new PubSub({
    ...(projectId ? { projectId } : {}),
    ...(emulatorHost ? { apiEndpoint: emulatorHost, emulatorMode: true } : {}),
  });
}
