import type { Firestore } from '@google-cloud/firestore';
import { FirestoreClientSet, firestoreTargetEnv } from './client-set.js';
import { FakeFirestoreServer } from './fake/server.js';
import type { FirestoreTarget } from './target.js';

/** The in-process gRPC fake (./fake/) as a FirestoreTarget. */
export class FirestoreFakeTarget implements FirestoreTarget {
  readonly kind = 'fake' as const;
  private readonly clients: FirestoreClientSet;

  private constructor(
    private readonly server: FakeFirestoreServer,
    readonly projectId: string,
  ) {
    this.clients = new FirestoreClientSet(server.host);
  }

  static async start(projectId: string): Promise<FirestoreFakeTarget> {
    return new FirestoreFakeTarget(await FakeFirestoreServer.start(), projectId);
  }

  get host(): string {
    return this.server.host;
  }

  client(projectId = this.projectId): Firestore {
    return this.clients.create(projectId);
  }

  env(projectId = this.projectId): Record<string, string> {
    return firestoreTargetEnv(this.host, projectId);
  }

  async reset(projectId = this.projectId): Promise<void> {
    this.server.reset(projectId);
    await Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.clients.terminateAll();
    await this.server.stop();
  }
}
