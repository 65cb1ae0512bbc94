import type {
  QuarantineBody,
  QuarantineBodyStats,
  QuarantineBodyStore,
  QuarantineBodyUsage,
  QuarantineEviction,
} from '../quarantine-body-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** Bodies evicted per transaction: each one is short, so pushes and reads interleave with eviction. */
const EVICTION_BATCH = 256;

/** Quarantined raw bodies in the SQLite file, with a one-row running total (migration 5). */
export class SqliteQuarantineBodies implements QuarantineBodyStore {
  readonly stats: QuarantineBodyStats = { evictions: 0, evictedBytes: 0 };

  constructor(private readonly sqlite: SqliteDatabase) {}

  put(id: string, body: Buffer, receivedAt: string): Promise<QuarantineBodyUsage> {
    return this.sqlite.transaction(`hold quarantined body ${id}`, () => {
      const { changes } = this.sqlite
        .statement(
          `INSERT INTO quarantine_bodies (id, body, body_bytes, received_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING`,
        )
        .run(id, body, body.length, receivedAt);
      if (Number(changes) === 1) {
        this.sqlite
          .statement(
            'UPDATE quarantine_body_usage SET bytes = bytes + ?, bodies = bodies + 1 WHERE singleton = 1',
          )
          .run(body.length);
      }
      return this.readUsage();
    });
  }

  get(id: string): Promise<QuarantineBody | null> {
    return this.sqlite.exclusive(`read quarantined body ${id}`, () => {
      const row = this.sqlite
        .statement('SELECT body, body_bytes, received_at FROM quarantine_bodies WHERE id = ?')
        .get(id);
      if (!row) return null;
      const blob = row.body as Uint8Array;
      return {
        id,
        body: Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength),
        bytes: Number(row.body_bytes),
        receivedAt: String(row.received_at),
      };
    });
  }

  delete(id: string): Promise<boolean> {
    return this.sqlite.transaction(`drop quarantined body ${id}`, () => {
      const row = this.sqlite
        .statement('DELETE FROM quarantine_bodies WHERE id = ? RETURNING body_bytes')
        .get(id);
      if (!row) return false;
      this.release(1, Number(row.body_bytes));
      return true;
    });
  }

  async evictOver(maxBytes: number): Promise<QuarantineEviction> {
    const total: QuarantineEviction = { evicted: 0, bytes: 0 };
    for (;;) {
      const step = await this.sqlite.transaction('evict quarantined bodies', () =>
        this.evictBatch(maxBytes),
      );
      total.evicted += step.evicted;
      total.bytes += step.bytes;
      this.stats.evictions += step.evicted;
      this.stats.evictedBytes += step.bytes;
      if (step.done) return total;
    }
  }

  usage(): Promise<QuarantineBodyUsage> {
    return this.sqlite.exclusive('read quarantine body usage', () => this.readUsage());
  }

  /** The oldest bodies, up to one batch, that bring the total down to `maxBytes`. */
  private evictBatch(maxBytes: number): QuarantineEviction & { done: boolean } {
    const excess = this.readUsage().bytes - maxBytes;
    if (excess <= 0) return { evicted: 0, bytes: 0, done: true };
    const oldest = this.sqlite
      .statement('SELECT seq, body_bytes FROM quarantine_bodies ORDER BY seq LIMIT ?')
      .all(EVICTION_BATCH);
    let bytes = 0;
    let evicted = 0;
    let lastSeq = 0;
    for (const row of oldest) {
      bytes += Number(row.body_bytes);
      evicted += 1;
      lastSeq = Number(row.seq);
      if (bytes >= excess) break;
    }
    if (evicted === 0) return { evicted, bytes, done: true };
    this.sqlite.statement('DELETE FROM quarantine_bodies WHERE seq <= ?').run(lastSeq);
    this.release(evicted, bytes);
    return { evicted, bytes, done: bytes >= excess };
  }

  private release(bodies: number, bytes: number): void {
    this.sqlite
      .statement(
        'UPDATE quarantine_body_usage SET bytes = bytes - ?, bodies = bodies - ? WHERE singleton = 1',
      )
      .run(bytes, bodies);
  }

  private readUsage(): QuarantineBodyUsage {
    const row = this.sqlite
      .statement('SELECT bytes, bodies FROM quarantine_body_usage WHERE singleton = 1')
      .get();
    return { bytes: Number(row?.bytes ?? 0), bodies: Number(row?.bodies ?? 0) };
  }
}
