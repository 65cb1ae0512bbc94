import type { OutboundMessage, OutboxStore } from '../event-store/index.js';
import type { Publisher } from './publisher.port.js';

/** Keeps published messages in the store, readable at `GET /v1/outbox` (the default, no broker needed). */
export class EmbeddedPublisher implements Publisher {
  readonly kind = 'embedded';

  constructor(private readonly outbox: OutboxStore) {}

  publish(message: OutboundMessage): Promise<void> {
    return this.outbox.saveEmbedded(message);
  }
}
