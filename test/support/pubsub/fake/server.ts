import { Server, ServerCredentials } from '@grpc/grpc-js';
import { Broker } from './broker.js';
import { pubSubServiceDefinitions } from './protos.js';
import { publisherService } from './publisher-service.js';
import { PushDelivery } from './push-delivery.js';
import { subscriberService } from './subscriber-service.js';

const HOST = '127.0.0.1';
const REBIND_ATTEMPTS = 50;
const REBIND_PAUSE_MS = 20;

/**
 * An in-process Pub/Sub v1 gRPC server (the subset @google-cloud/pubsub uses) on 127.0.0.1. State
 * lives in memory; restart() comes back on the same port with none, like a restarted emulator.
 */
export class FakePubSubServer {
  private broker = FakePubSubServer.newBroker();

  private constructor(
    private server: Server,
    readonly port: number,
  ) {}

  static async start(port = 0): Promise<FakePubSubServer> {
    const fake = new FakePubSubServer(new Server(), 0);
    const bound = await fake.bind(port);
    return Object.assign(fake, { port: bound });
  }

  get host(): string {
    return `${HOST}:${this.port}`;
  }

  /** Drops all topics, subscriptions and messages (the emulator's POST /reset). */
  reset(): void {
    this.broker.reset();
  }

  async stop(): Promise<void> {
    this.broker.reset();
    this.server.forceShutdown();
    await Promise.resolve();
  }

  async restart(): Promise<void> {
    await this.stop();
    this.broker = FakePubSubServer.newBroker();
    this.server = new Server();
    await this.bind(this.port);
  }

  private static newBroker(): Broker {
    const broker = new Broker();
    broker.onSubscriptionCreated((queue) => {
      if (queue.config.pushConfig?.pushEndpoint) new PushDelivery(queue);
    });
    return broker;
  }

  private async bind(port: number): Promise<number> {
    const services = pubSubServiceDefinitions();
    this.server.addService(
      services.publisher,
      publisherService(() => this.broker),
    );
    this.server.addService(
      services.subscriber,
      subscriberService(() => this.broker),
    );
    for (let attempt = 1; ; attempt++) {
      try {
        return await new Promise<number>((resolve, reject) =>
          this.server.bindAsync(
            `${HOST}:${port}`,
            ServerCredentials.createInsecure(),
            (error, bound) => (error ? reject(error) : resolve(bound)),
          ),
        );
      } catch (error) {
        // Right after a stop the old listener may still hold the port for a moment.
        if (port === 0 || attempt >= REBIND_ATTEMPTS) {
          throw new Error(`Pub/Sub fake could not listen on ${HOST}:${port}: ${String(error)}`, {
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, REBIND_PAUSE_MS));
      }
    }
  }
}
