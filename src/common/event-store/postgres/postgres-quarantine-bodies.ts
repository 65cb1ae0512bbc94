import type {
  QuarantineBody,
  QuarantineBodyStats,
  QuarantineBodyStore,
  QuarantineBodyUsage,
  QuarantineEviction,
} from '../quarantine-body-store.port.js';
import type { PostgresPool } from './postgres-pool.js';

/** Bodies evicted per statement: each one is short, so pushes and reads interleave with eviction. */
const EVICTION_BATCH = 256;

interface UsageRow {
  bytes: string;
  bodies: string;
}

/**
 * Quarantined raw bodies shared by every instance, with a one-row running total (migration 7).
 * Each write is one statement that changes the bodies first and the total last, so concurrent puts,
 * deletes and evictions lock rows in the same order and never deadlock; the total is updated from
 * what the statement actually deleted, so two instances evicting at once never count a body twice.
 */
export class PostgresQuarantineBodies implements QuarantineBodyStore {
  readonly stats: QuarantineBodyStats = { evictions: 0, evictedBytes: 0 };

  constructor(private readonly pool: PostgresPool) {}

  async put(id: string, body: Buffer, receivedAt: string): Promise<QuarantineBodyUsage> {
    const [row] = await this.pool.query<UsageRow>(
      `hold quarantined body ${id}`,
      `WITH inserted AS (
         INSERT INTO quarantine_bodies (id, body, body_bytes, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING RETURNING body_bytes
       )
       UPDATE quarantine_body_usage
          SET bytes = bytes + (SELECT coalesce(sum(body_bytes), 0) FROM inserted),
              bodies = bodies + (SELECT count(*) FROM inserted)
       RETURNING bytes::text AS bytes, bodies::text AS bodies`,
      [id, body, body.length, receivedAt],
    );
    return toUsage(row);
  }

  async get(id: string): Promise<QuarantineBody | null> {
    const [row] = await this.pool.query<{ body: Buffer; body_bytes: string; received_at: Date }>(
      `read quarantined body ${id}`,
      'SELECT body, body_bytes, received_at FROM quarantine_bodies WHERE id = $1',
      [id],
    );
    if (!row) return null;
    return {
      id,
      body: row.body,
      bytes: Number(row.body_bytes),
      receivedAt: row.received_at.toISOString(),
    };
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.pool.query(
      `drop quarantined body ${id}`,
      `WITH deleted AS (DELETE FROM quarantine_bodies WHERE id = $1 RETURNING body_bytes)
       UPDATE quarantine_body_usage
          SET bytes = bytes - (SELECT coalesce(sum(body_bytes), 0) FROM deleted),
              bodies = bodies - (SELECT count(*) FROM deleted)
        WHERE EXISTS (SELECT 1 FROM deleted)
       RETURNING 1`,
      [id],
    );
    return rows.length === 1;
  }

  async evictOver(maxBytes: number): Promise<QuarantineEviction> {
    const total: QuarantineEviction = { evicted: 0, bytes: 0 };
    for (;;) {
      const [row] = await this.pool.query<{ evicted: number; bytes: string; held: string }>(
        'evict quarantined bodies',
        `WITH excess AS (SELECT bytes - $1::bigint AS bytes FROM quarantine_body_usage),
         page AS (
           SELECT seq, body_bytes, sum(body_bytes) OVER (ORDER BY seq) AS running
             FROM (SELECT seq, body_bytes FROM quarantine_bodies ORDER BY seq LIMIT $2) oldest
         ),
         doomed AS (
           SELECT page.seq FROM page, excess
            WHERE excess.bytes > 0 AND page.running - page.body_bytes < excess.bytes
         ),
         deleted AS (
           DELETE FROM quarantine_bodies USING doomed WHERE quarantine_bodies.seq = doomed.seq
           RETURNING quarantine_bodies.body_bytes
         )
         UPDATE quarantine_body_usage
            SET bytes = bytes - (SELECT coalesce(sum(body_bytes), 0) FROM deleted),
                bodies = bodies - (SELECT count(*) FROM deleted)
          WHERE EXISTS (SELECT 1 FROM deleted)
         RETURNING (SELECT count(*) FROM deleted)::int AS evicted,
                   (SELECT coalesce(sum(body_bytes), 0) FROM deleted)::text AS bytes,
                   bytes::text AS held`,
        [maxBytes, EVICTION_BATCH],
      );
      if (!row) return total;
      const bytes = Number(row.bytes);
      total.evicted += row.evicted;
      total.bytes += bytes;
      this.stats.evictions += row.evicted;
      this.stats.evictedBytes += bytes;
      if (Number(row.held) <= maxBytes) return total;
    }
  }

  async usage(): Promise<QuarantineBodyUsage> {
    const [row] = await this.pool.query<UsageRow>(
      'read quarantine body usage',
      'SELECT bytes::text AS bytes, bodies::text AS bodies FROM quarantine_body_usage',
    );
    return toUsage(row);
  }
}

function toUsage(row: UsageRow | undefined): QuarantineBodyUsage {
  return { bytes: Number(row?.bytes ?? 0), bodies: Number(row?.bodies ?? 0) };
}
