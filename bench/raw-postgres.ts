import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BenchSchemas } from './postgres-bench-database.js';
import { measure, type Measurement } from './timing.js';
import type { BenchSizes } from './workloads.js';

const PAGE = 1000;
/** The adapter's gap-safe filter (postgres-visibility.ts): readers see only transactions below xmin. */
const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The same work on one bare `pg` connection: the adapter's `events` table (sequence position,
 * writer's transaction id, the same unique constraints), one INSERT per event, no idempotency key,
 * no expected-version check (versions are counted in memory), no port.
 */
export class RawPostgres {
  private readonly versions = new Map<string, number>();
  private readonly singleSequence = { n: 0 };

  private constructor(private readonly client: pg.Client) {}

  static async open(schemas: BenchSchemas, label: string): Promise<RawPostgres> {
    const schema = await schemas.create(label);
    const client = new pg.Client({ connectionString: schemas.url });
    await client.connect();
    await client.query(`SET search_path = ${schema}`);
    await client.query(`
      CREATE SEQUENCE events_global_position AS bigint;
      CREATE TABLE events (
        global_position bigint NOT NULL DEFAULT nextval('events_global_position') PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id text COLLATE "C" NOT NULL UNIQUE, stream_id text COLLATE "C" NOT NULL,
        stream_version integer NOT NULL, type text COLLATE "C" NOT NULL, data json NOT NULL,
        metadata json NOT NULL, recorded_at timestamptz NOT NULL,
        UNIQUE (stream_id, stream_version));
      CREATE INDEX events_log_order ON events (transaction_id, global_position);
      CREATE TABLE docs (key text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
      CREATE TABLE checkpoint (name text PRIMARY KEY, position text);`);
    return new RawPostgres(client);
  }

  /** `count` rows appended to one stream, one INSERT each, inside the caller's transaction. */
  private async insertRows(streamId: string, count: number, sequence: { n: number }) {
    const recordedAt = new Date().toISOString();
    let version = this.versions.get(streamId) ?? 0;
    for (let i = 0; i < count; i++) {
      sequence.n += 1;
      version += 1;
      await this.client.query({
        name: 'insert-event',
        text: `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        values: [
          randomUUID(),
          streamId,
          version,
          'BenchEvent',
          JSON.stringify({ n: sequence.n, player: 'lebron-james' }),
          '{}',
          recordedAt,
        ],
      });
    }
    this.versions.set(streamId, version);
  }

  private async inTransaction(work: () => Promise<void>): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await work();
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    }
  }

  singleTransactions(count: number): Promise<Measurement> {
    return measure(count, async () => {
      for (let i = 0; i < count; i++) {
        await this.inTransaction(() => this.insertRows(`s-${i % 50}`, 1, this.singleSequence));
      }
    });
  }

  batchTransactions(batches: number, size: number): Promise<Measurement> {
    const sequence = { n: 0 };
    return measure(batches * size, async () => {
      for (let b = 0; b < batches; b++) {
        await this.inTransaction(() => this.insertRows(`b-${b % 50}`, size, sequence));
      }
    });
  }

  async fill(total: number): Promise<void> {
    const sequence = { n: 0 };
    for (let done = 0; done < total; done += PAGE) {
      await this.inTransaction(() => this.insertRows(`s-${(done / PAGE) % 50}`, PAGE, sequence));
    }
  }

  /** One page of readable events after (transactionId, position), in log order. */
  private async page(after: { tx: string; position: string }): Promise<pg.QueryResultRow[]> {
    const { rows } = await this.client.query({
      name: 'read-page',
      text: `SELECT transaction_id::text AS tx, global_position::text AS position, event_id,
               stream_id, stream_version, type, data, metadata, recorded_at
             FROM events WHERE ${VISIBLE}
               AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
             ORDER BY events.transaction_id, events.global_position LIMIT $3`,
      values: [after.tx, after.position, PAGE],
    });
    return rows;
  }

  readAll(): Promise<Measurement> {
    let count = 0;
    return measure(0, async () => {
      let after = { tx: '0', position: '0' };
      for (;;) {
        const rows = await this.page(after);
        count += rows.length;
        if (rows.length < PAGE) return;
        const last = rows.at(-1)!;
        after = { tx: String(last.tx), position: String(last.position) };
      }
    }).then((m) => ({ ...m, operations: count }));
  }

  /** A per-stream summary upserted in one transaction per page, with a checkpoint row. */
  projectAll(): Promise<Measurement> {
    let count = 0;
    return measure(0, async () => {
      let after = { tx: '0', position: '0' };
      for (;;) {
        const rows = await this.page(after);
        if (rows.length === 0) return;
        const last = rows.at(-1)!;
        after = { tx: String(last.tx), position: String(last.position) };
        await this.inTransaction(async () => {
          const docs = new Map<string, { n: number; last: string }>();
          for (const row of rows) {
            const key = String(row.stream_id);
            const current = docs.get(key) ?? (await this.storedDoc(key)) ?? { n: 0, last: '' };
            docs.set(key, { n: current.n + 1, last: String(row.type) });
          }
          await this.client.query(
            `INSERT INTO docs (key, doc) SELECT * FROM unnest($1::text[], $2::jsonb[])
             ON CONFLICT (key) DO UPDATE SET doc = excluded.doc`,
            [[...docs.keys()], [...docs.values()].map((doc) => JSON.stringify(doc))],
          );
          await this.client.query(
            `INSERT INTO checkpoint (name, position) VALUES ('raw', $1)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
            [`${after.tx}:${after.position}`],
          );
        });
        count += rows.length;
      }
    }).then((m) => ({ ...m, operations: count }));
  }

  private async storedDoc(key: string): Promise<{ n: number; last: string } | undefined> {
    const { rows } = await this.client.query({
      name: 'get-doc',
      text: 'SELECT doc FROM docs WHERE key = $1',
      values: [key],
    });
    return rows[0]?.doc as { n: number; last: string } | undefined;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

export async function rawPostgresSuite(schemas: BenchSchemas, round: number, sizes: BenchSizes) {
  const raw = await RawPostgres.open(schemas, `raw_${round}`);
  const batch = await raw.batchTransactions(sizes.batches, sizes.batchSize);
  await raw.close();
  const log = await RawPostgres.open(schemas, `raw_log_${round}`);
  await log.fill(sizes.logEvents);
  await schemas.analyze(schemas.name(`raw_log_${round}`));
  const read = await log.readAll();
  const project = await log.projectAll();
  await log.close();
  return { batch, read, project };
}
