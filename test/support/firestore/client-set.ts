import { Firestore } from '@google-cloud/firestore';

/** The real clients made on one target, terminated together when the target stops. */
export class FirestoreClientSet {
  private readonly clients = new Set<Firestore>();

  constructor(private readonly host: string) {}

  create(projectId: string): Firestore {
    // Explicit emulator settings instead of FIRESTORE_EMULATOR_HOST: tests never mutate process.env.
    // ssl:false makes the client send the emulator's admin header ("Bearer owner").
    const client = new Firestore({ projectId, host: this.host, ssl: false });
    this.clients.add(client);
    return client;
  }

  async terminateAll(): Promise<void> {
    const clients = [...this.clients];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.terminate()));
  }
}

export function firestoreTargetEnv(host: string, projectId: string): Record<string, string> {
  return {
    FIRESTORE_EMULATOR_HOST: host,
    GOOGLE_CLOUD_PROJECT: projectId,
    METADATA_SERVER_DETECTION: 'none',
  };
}
