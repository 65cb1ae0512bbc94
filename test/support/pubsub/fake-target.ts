import type { PubSub } from '@google-cloud/pubsub';
import { PubSubClientSet, targetEnv } from './client-set.js';
import { FakePubSubServer } from './fake/server.js';
import type { PubSubTarget } from './target.js';

/** The in-process gRPC fake as a PubSubTarget. */
export class FakeTarget implements PubSubTarget {
  readonly kind = 'fake' as const;
  private readonly clients: PubSubClientSet;

  private constructor(
    private readonly server: FakePubSubServer,
    readonly projectId: string,
  ) {
    this.clients = new PubSubClientSet(server.host, projectId);
  }

  static async start(projectId: string): Promise<FakeTarget> {
    return new FakeTarget(await FakePubSubServer.start(), projectId);
  }

  get host(): string {
    return this.server.host;
  }

  client(): PubSub {
    return this.clients.create();
  }

  env(): Record<string, string> {
    return targetEnv(this.host, this.projectId);
  }

  async reset(): Promise<void> {
    this.server.reset();
    await Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.clients.closeAll();
    await this.server.stop();
  }

  async restart(): Promise<void> {
    await this.server.restart();
  }
}
