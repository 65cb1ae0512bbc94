import type { Clock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import type {
  EmbeddedMessage,
  OutboundMessage,
  OutboxDelivery,
  OutboxStore,
} from '../event-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';
import type { SqliteProjectionStore } from './sqlite-projection-store.js';

export class SqliteOutboxStore implements OutboxStore {
  constructor(
    private readonly sqlite: SqliteDatabase,
    private readonly checkpoints: SqliteProjectionStore,
    private readonly clock: Clock,
  ) {}

  recordFailure(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    error: string,
  ): Promise<number> {
    return this.sqlite.transaction(`record failed delivery of ${message.messageId}`, () => {
      this.sqlite
        .statement(
          `INSERT INTO outbox_deliveries (message_id, topic, event_id, position, attempts, last_error)
           VALUES (?, ?, ?, ?, 1, ?)
           ON CONFLICT (message_id) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error`,
        )
        .run(message.messageId, message.topic, eventId, position, error);
      const row = this.sqlite
        .statement('SELECT attempts FROM outbox_deliveries WHERE message_id = ?')
        .get(message.messageId);
      return Number(row?.attempts ?? 1);
    });
  }

  recordDelivery(
    message: OutboundMessage,
    eventId: string,
    position: Position,
    checkpoint: { name: string; expected: Position | null },
  ): Promise<void> {
    return this.sqlite.transaction(`record delivery of ${message.messageId}`, () => {
      this.sqlite
        .statement(
          `INSERT INTO outbox_deliveries (message_id, topic, event_id, position, attempts, delivered_at, last_error)
           VALUES (?, ?, ?, ?, 1, ?, NULL)
           ON CONFLICT (message_id) DO UPDATE SET attempts = attempts + 1, delivered_at = excluded.delivered_at`,
        )
        .run(message.messageId, message.topic, eventId, position, this.clock.now().toISOString());
      this.checkpoints.moveCheckpoint(checkpoint.name, checkpoint.expected, position);
    });
  }

  deliveries(options: {
    topic?: string;
    after?: string;
    limit: number;
  }): Promise<OutboxDelivery[]> {
    return this.sqlite.exclusive('list outbox deliveries', () =>
      this.sqlite
        .statement(
          `SELECT * FROM outbox_deliveries WHERE (? IS NULL OR topic = ?) AND position > ?
           ORDER BY position, message_id LIMIT ?`,
        )
        .all(options.topic ?? null, options.topic ?? null, options.after ?? '', options.limit)
        .map((row) => ({
          messageId: String(row.message_id),
          topic: String(row.topic),
          eventId: String(row.event_id),
          position: String(row.position),
          attempts: Number(row.attempts),
          deliveredAt: row.delivered_at === null ? null : String(row.delivered_at),
          lastError: row.last_error === null ? null : String(row.last_error),
        })),
    );
  }

  saveEmbedded(message: OutboundMessage): Promise<void> {
    return this.sqlite.transaction(
      `publish ${message.messageId} to embedded ${message.topic}`,
      () => {
        this.sqlite
          .statement(
            'INSERT INTO embedded_messages (message_id, topic, attributes, body, published_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(
            message.messageId,
            message.topic,
            JSON.stringify(message.attributes),
            JSON.stringify(message.body),
            this.clock.now().toISOString(),
          );
      },
    );
  }

  embeddedMessages(options: {
    topic?: string;
    after?: string;
    limit: number;
  }): Promise<EmbeddedMessage[]> {
    return this.sqlite.exclusive('list embedded messages', () =>
      this.sqlite
        .statement(
          `SELECT * FROM embedded_messages WHERE (? IS NULL OR topic = ?) AND seq > ? ORDER BY seq LIMIT ?`,
        )
        .all(
          options.topic ?? null,
          options.topic ?? null,
          Number(options.after ?? 0),
          options.limit,
        )
        .map((row) => ({
          messageId: String(row.message_id),
          topic: String(row.topic),
          attributes: JSON.parse(String(row.attributes)) as Record<string, string>,
          body: JSON.parse(String(row.body)) as unknown,
          publishedAt: String(row.published_at),
          cursor: String(row.seq),
        })),
    );
  }
}
