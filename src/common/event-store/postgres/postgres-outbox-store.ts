import type { Clock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import type {
  EmbeddedMessage,
  OutboundMessage,
  OutboxDelivery,
  OutboxStore,
} from '../event-store.port.js';
import type { PostgresPool } from './postgres-pool.js';
import { fromPosition, toPosition } from './postgres-position.js';
import type { PostgresProjectionStore } from './postgres-projection-store.js';
import { VISIBLE, VisibilityHorizon, waitUntilReadable } from './postgres-visibility.js';

interface DeliveryRow {
  message_id: string;
  topic: string;
  event_id: string;
  position: string;
  attempts: number;
  delivered_at: Date | null;
  last_error: string | null;
}

interface EmbeddedRow {
  transaction_id: string;
  seq: string;
  message_id: string;
  topic: string;
  attributes: Record<string, string>;
  body: unknown;
  published_at: Date;
}

export class PostgresOutboxStore implements OutboxStore {
  constructor(
    private readonly pool: PostgresPool,
    private readonly checkpoints: PostgresProjectionStore,
    private readonly clock: Clock,
  ) {}

  async recordFailure(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    error: string,
  ): Promise<number> {
    const [row] = await this.pool.query<{ attempts: number }>(
      `record failed delivery of ${message.messageId}`,
      `INSERT INTO outbox_deliveries (message_id, topic, event_id, position, attempts, last_error)
       VALUES ($1, $2, $3, $4, 1, $5)
       ON CONFLICT (message_id) DO UPDATE
         SET attempts = outbox_deliveries.attempts + 1, last_error = excluded.last_error
       RETURNING attempts`,
      [message.messageId, message.topic, eventId, position, error],
    );
    return Number(row?.attempts ?? 1);
  }

  recordDelivery(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    checkpoint: { name: string; expected: Position | null },
  ): Promise<void> {
    return this.pool.transaction(`record delivery of ${message.messageId}`, async (client) => {
      await client.query(
        `INSERT INTO outbox_deliveries (message_id, topic, event_id, position, attempts, delivered_at, last_error)
         VALUES ($1, $2, $3, $4, 1, $5, NULL)
         ON CONFLICT (message_id) DO UPDATE
           SET attempts = outbox_deliveries.attempts + 1, delivered_at = excluded.delivered_at`,
        [message.messageId, message.topic, eventId, position, this.clock.now().toISOString()],
      );
      await this.checkpoints.moveCheckpoint(client, checkpoint.name, checkpoint.expected, position);
    });
  }

  async deliveries(options: {
    topic?: string;
    after?: string;
    limit: number;
  }): Promise<OutboxDelivery[]> {
    const rows = await this.pool.query<DeliveryRow>(
      'list outbox deliveries',
      `SELECT * FROM outbox_deliveries WHERE ($1::text IS NULL OR topic = $1) AND position > $2
       ORDER BY position, message_id LIMIT $3`,
      [options.topic ?? null, options.after ?? '', options.limit],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      topic: row.topic,
      eventId: row.event_id,
      position: row.position,
      attempts: Number(row.attempts),
      deliveredAt: row.delivered_at === null ? null : row.delivered_at.toISOString(),
      lastError: row.last_error,
    }));
  }

  /**
   * Returns once the message is committed. Like an append's events, it can be listed once every
   * older transaction in the cluster has ended (see postgres-visibility.ts), usually at once; a
   * store opened with awaitReadableAppends waits for that (bounded).
   */
  async saveEmbedded(message: OutboundMessage): Promise<void> {
    const [row] = await this.pool.query<{ transaction_id: string }>(
      `publish ${message.messageId} to embedded ${message.topic}`,
      `INSERT INTO embedded_messages (message_id, topic, attributes, body, published_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING transaction_id::text AS transaction_id`,
      [
        message.messageId,
        message.topic,
        JSON.stringify(message.attributes),
        JSON.stringify(message.body),
        this.clock.now().toISOString(),
      ],
    );
    if (this.pool.options.awaitReadableAppends) {
      await waitUntilReadable(this.pool, new VisibilityHorizon(), row!.transaction_id);
    }
  }

  async embeddedMessages(options: {
    topic?: string;
    after?: string;
    limit: number;
  }): Promise<EmbeddedMessage[]> {
    // Cursors are gap-safe like log positions (see VISIBLE): (transaction id, seq).
    const after = fromPosition(options.after);
    const rows = await this.pool.query<EmbeddedRow>(
      'list embedded messages',
      `SELECT transaction_id::text AS transaction_id, seq::text AS seq, message_id, topic,
         attributes, body, published_at
       FROM embedded_messages
       WHERE ${VISIBLE} AND ($1::text IS NULL OR topic = $1)
         AND (transaction_id, seq) > ($2::xid8, $3::bigint)
       ORDER BY embedded_messages.transaction_id, embedded_messages.seq LIMIT $4`,
      [options.topic ?? null, after.transactionId, after.globalPosition, options.limit],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      topic: row.topic,
      attributes: row.attributes,
      body: row.body,
      publishedAt: row.published_at.toISOString(),
      cursor: toPosition(row.transaction_id, row.seq),
    }));
  }
}
