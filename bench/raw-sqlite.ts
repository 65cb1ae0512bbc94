import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { measure, type Measurement } from './timing.js';
import type { BenchSizes } from './workloads.js';

/** The same work on bare node:sqlite: same columns, same pragmas, prepared statements, no port. */
export class RawSqlite {
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;

  constructor(dir: string, name: string, synchronous: string) {
    this.db = new DatabaseSync(join(dir, `${name}.sqlite`));
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec(`PRAGMA synchronous = ${synchronous}`);
    this.db.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
      stream_version INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
      recorded_at TEXT NOT NULL, UNIQUE (stream_id, stream_version))`);
    this.db.exec('CREATE TABLE docs (key TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    this.db.exec('CREATE TABLE checkpoint (name TEXT PRIMARY KEY, position INTEGER)');
    this.insert = this.db.prepare(
      'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  private readonly versions = new Map<string, number>();

  /** `count` rows appended to one stream, as one append of the port would write them. */
  private insertRows(streamId: string, count: number, sequence: { n: number }): void {
    const recordedAt = new Date().toISOString();
    let version = this.versions.get(streamId) ?? 0;
    for (let i = 0; i < count; i++) {
      sequence.n += 1;
      version += 1;
      this.insert.run(
        randomUUID(),
        streamId,
        version,
        'BenchEvent',
        JSON.stringify({ n: sequence.n, player: 'lebron-james' }),
        '{}',
        recordedAt,
      );
    }
    this.versions.set(streamId, version);
  }

  private readonly singleSequence = { n: 0 };

  singleTransactions(count: number): Promise<Measurement> {
    const sequence = this.singleSequence;
    return measure(count, () => {
      for (let i = 0; i < count; i++) {
        this.db.exec('BEGIN IMMEDIATE');
        this.insertRows(`s-${i % 50}`, 1, sequence);
        this.db.exec('COMMIT');
      }
    });
  }

  batchTransactions(batches: number, size: number): Promise<Measurement> {
    const sequence = { n: 0 };
    return measure(batches * size, () => {
      for (let b = 0; b < batches; b++) {
        this.db.exec('BEGIN IMMEDIATE');
        this.insertRows(`b-${b % 50}`, size, sequence);
        this.db.exec('COMMIT');
      }
    });
  }

  fill(total: number): void {
    const sequence = { n: 0 };
    for (let done = 0; done < total; done += 1000) {
      this.db.exec('BEGIN');
      this.insertRows(`s-${(done / 1000) % 50}`, 1000, sequence);
      this.db.exec('COMMIT');
    }
  }

  readAll(): Promise<Measurement> {
    let count = 0;
    return measure(0, () => {
      for (const row of this.db.prepare('SELECT * FROM events ORDER BY position').iterate()) {
        JSON.parse(String(row.data));
        JSON.parse(String(row.metadata));
        count += 1;
      }
    }).then((m) => ({ ...m, operations: count }));
  }

  /** A per-stream summary upserted in transactions of `batch` events with a checkpoint row. */
  projectAll(batch: number): Promise<Measurement> {
    let count = 0;
    return measure(0, () => {
      const upsert = this.db.prepare(
        'INSERT INTO docs (key, doc) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET doc = excluded.doc',
      );
      const get = this.db.prepare('SELECT doc FROM docs WHERE key = ?');
      const checkpoint = this.db.prepare(
        'INSERT INTO checkpoint (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      );
      const page = this.db.prepare(
        'SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?',
      );
      let after = 0;
      for (;;) {
        const rows = page.all(after, batch);
        if (rows.length === 0) break;
        this.db.exec('BEGIN IMMEDIATE');
        const cache = new Map<string, { n: number; last: string }>();
        for (const row of rows) {
          const key = String(row.stream_id);
          JSON.parse(String(row.data));
          const stored = cache.has(key) ? undefined : get.get(key);
          const current =
            cache.get(key) ?? (stored ? JSON.parse(String(stored.doc)) : { n: 0, last: '' });
          cache.set(key, { n: current.n + 1, last: String(row.type) });
        }
        for (const [key, doc] of cache) upsert.run(key, JSON.stringify(doc));
        after = Number(rows[rows.length - 1]!.position);
        checkpoint.run('raw', after);
        this.db.exec('COMMIT');
        count += rows.length;
      }
    }).then((m) => ({ ...m, operations: count }));
  }

  close(): void {
    this.db.close();
  }
}

export async function rawSqliteSuite(
  dir: string,
  round: number,
  sizes: BenchSizes,
  synchronous: string,
) {
  const raw = new RawSqlite(dir, `raw-${round}`, synchronous);
  const batch = await raw.batchTransactions(sizes.batches, sizes.batchSize);
  raw.close();
  const log = new RawSqlite(dir, `raw-log-${round}`, synchronous);
  log.fill(sizes.logEvents);
  const read = await log.readAll();
  const project = await log.projectAll(1000);
  log.close();
  return { batch, read, project };
}
