import pg from 'pg';
import type { PublishedRow, StoreInspector } from './multi-instance-inspector.js';
import type { ReadModelSnapshot } from './multi-instance-read-models.js';

/** The test database (trust auth); each run uses its own schema in it. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other run uses (DATABASE_SCHEMA: lower case, at most 63 characters). */
export function freshSchemaName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`;
}

/**
 * Read-only SQL on one run's schema, straight on the tables the service writes (what the log and
 * the timers really hold, not what an endpoint reports).
 */
export class SchemaInspector implements StoreInspector {
  private constructor(
    private readonly client: pg.Client,
    readonly schema: string,
  ) {}

  static async connect(schema: string): Promise<SchemaInspector> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    return new SchemaInspector(client, schema);
  }

  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    await this.client.query(`SET search_path TO ${this.schema}`);
    try {
      return (await this.client.query<R>(sql, values)).rows;
    } catch (error) {
      throw new Error(`query on schema ${this.schema} failed: ${String(error)}\n${sql}`, {
        cause: error,
      });
    }
  }

  /** Events of `type` per value of data->>field (e.g. completions per player). */
  async countBy(type: string, ...fields: string[]): Promise<Map<string, number>> {
    const key = fields.map((field) => `coalesce(data->>'${field}', '?')`).join(" || '/' || ");
    const rows = await this.query<{ key: string; n: string }>(
      `SELECT ${key} AS key, count(*) AS n FROM events WHERE type = $1 GROUP BY 1`,
      [type],
    );
    return new Map(rows.map((row) => [row.key, Number(row.n)]));
  }

  async eventData(type: string): Promise<Array<Record<string, unknown>>> {
    const rows = await this.query<{ data: Record<string, unknown> }>(
      'SELECT data FROM events WHERE type = $1 ORDER BY global_position',
      [type],
    );
    return rows.map((row) => row.data);
  }

  async timerStates(timerIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.query<{ timer_id: string; state: string }>(
      'SELECT timer_id, state FROM timers WHERE timer_id = ANY($1)',
      [timerIds],
    );
    return new Map(rows.map((row) => [row.timer_id, row.state]));
  }

  async overdueTimers(nowMs: number): Promise<string[]> {
    const rows = await this.query<{ timer_id: string }>(
      `SELECT timer_id FROM timers WHERE state = 'scheduled' AND due_at_ms <= $1`,
      [nowMs],
    );
    return rows.map((row) => row.timer_id);
  }

  async published(): Promise<PublishedRow[]> {
    const rows = await this.query<{
      message_id: string;
      topic: string;
      body: unknown;
      published_at: Date;
    }>('SELECT message_id, topic, body, published_at FROM embedded_messages ORDER BY seq');
    return rows.map((row) => ({
      messageId: row.message_id,
      topic: row.topic,
      body: row.body,
      publishedAt: row.published_at,
    }));
  }

  /** The read_models table (jsonb: key order is PostgreSQL's, compare parsed). */
  async readModels(): Promise<ReadModelSnapshot> {
    const rows = await this.query<{ collection: string; key: string; doc: unknown }>(
      'SELECT collection, key, doc FROM read_models ORDER BY collection, key',
    );
    return new Map(rows.map((row) => [`${row.collection}/${row.key}`, row.doc]));
  }

  async checkpointWrites(): Promise<Map<string, string>> {
    const rows = await this.query<{ name: string; updated: string }>(
      'SELECT name, updated_at::text AS updated FROM projection_checkpoints',
    );
    return new Map(rows.map((row) => [row.name, row.updated]));
  }

  /** Drops the schema and everything in it, then disconnects. */
  async dropAndClose(): Promise<void> {
    try {
      await this.client.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    } finally {
      await this.client.end();
    }
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
