import { PubSub } from '@google-cloud/pubsub';

/** The real clients made on one target, closed together when the target stops. */
export class PubSubClientSet {
  private readonly clients = new Set<PubSub>();

  constructor(
    private readonly host: string,
    private readonly projectId: string,
  ) {}

  create(): PubSub {
    // Explicit emulator options instead of PUBSUB_EMULATOR_HOST: tests never mutate process.env.
    const client = new PubSub({
      projectId: this.projectId,
      apiEndpoint: this.host,
      emulatorMode: true,
    });
    this.clients.add(client);
    return client;
  }

  async closeAll(): Promise<void> {
    const clients = [...this.clients];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

export function targetEnv(host: string, projectId: string): Record<string, string> {
  return {
    PUBSUB_EMULATOR_HOST: host,
    GOOGLE_CLOUD_PROJECT: projectId,
    METADATA_SERVER_DETECTION: 'none',
  };
}
