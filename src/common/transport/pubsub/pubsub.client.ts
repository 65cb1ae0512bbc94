import type { PubSub, Topic } from '@google-cloud/pubsub';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';

/** A message with Pub/Sub attributes or an ordering key (`emit(route, new PubSubRecord(...))`). */
export class PubSubRecord {
  constructor(
    readonly data: unknown,
    readonly options: { attributes?: Record<string, string>; orderingKey?: string } = {},
  ) {}
}

export interface PubSubClientOptions {
  /** The client to publish with; the proxy never closes it (its owner does). */
  readonly client: PubSub;
  /** The topic (name or `projects/<p>/topics/<t>`) each route's messages are published to. */
  readonly topics: Readonly<Record<string, string>>;
}

/**
 * The publishing side of the pull transport, as a Nest ClientProxy: `emit(route, data)` publishes
 * `data` as JSON (a Buffer as is) to the route's topic and resolves with Pub/Sub's message id.
 * Pub/Sub has no replies, so `send` (request-response) is refused. Tests and the benchmark feed
 * the transport with it.
 */
export class PubSubClient extends ClientProxy {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly options: PubSubClientOptions) {
    super();
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  async connect(): Promise<void> {}

  /** Sends what is batched; the underlying client stays open. */
  async close(): Promise<void> {
    await Promise.all([...this.topics.values()].map((topic) => topic.flush()));
  }

  unwrap<T>(): T {
    return this.options.client as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({
      err: new Error(
        `Pub/Sub has no replies: emit ${JSON.stringify(packet.pattern)} as an event instead of sending it`,
      ),
      isDisposed: true,
    });
    return () => {};
  }

  protected async dispatchEvent<T = string>(packet: ReadPacket): Promise<T> {
    const route = this.normalizePattern(packet.pattern);
    const record =
      packet.data instanceof PubSubRecord ? packet.data : new PubSubRecord(packet.data);
    const data = Buffer.isBuffer(record.data)
      ? record.data
      : Buffer.from(JSON.stringify(record.data));
    const id = await this.topicOf(route).publishMessage({
      data,
      ...(record.options.attributes ? { attributes: record.options.attributes } : {}),
      ...(record.options.orderingKey ? { orderingKey: record.options.orderingKey } : {}),
    });
    return id as T;
  }

  private topicOf(route: string): Topic {
    let topic = this.topics.get(route);
    if (topic) return topic;
    const name = this.options.topics[route];
    if (name === undefined) {
      throw new Error(
        `no topic for route ${route}; routes with a topic: ${Object.keys(this.options.topics).join(', ') || '(none)'}`,
      );
    }
    // Ordering only orders messages that carry a key; the others are batched as usual.
    topic = this.options.client.topic(name, { messageOrdering: true });
    this.topics.set(route, topic);
    return topic;
  }
}
