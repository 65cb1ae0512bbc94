import type { PostgresPool } from './postgres-pool.js';

/**
 * One cheap statement over the cluster's sessions: the age of the oldest one holding a
 * transaction id (in any database: ids are cluster-wide), of the oldest prepared transaction,
 * and the smallest id of a session whose start this role may not see.
 */
const OLDEST_TRANSACTION = `
  SELECT
    (SELECT extract(epoch FROM clock_timestamp() - min(xact_start)) * 1000
       FROM pg_stat_activity WHERE backend_xid IS NOT NULL) AS seen_ms,
    (SELECT min(backend_xid::text::bigint)::text
       FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND xact_start IS NULL) AS hidden_xid,
    (SELECT extract(epoch FROM clock_timestamp() - min(prepared)) * 1000
       FROM pg_prepared_xacts) AS prepared_ms`;

interface OldestRow {
  seen_ms: string | null;
  hidden_xid: string | null;
  prepared_ms: string | null;
}

/**
 * The age of the oldest transaction holding back readers (see postgres-visibility.ts): a session
 * anywhere in the cluster, or a prepared transaction, holding a transaction id. 0 when none does.
 *
 * pg_stat_activity shows every session's backend_xid, but when its transaction began
 * (xact_start) only for the role's own sessions, unless the role is superuser or has
 * pg_read_all_stats (pg_monitor includes it). For a transaction whose start is hidden, the age
 * counts from when this process first saw its id: a lower bound, which says so once in a warning.
 */
export class OldestTransactionProbe {
  private hidden: { xid: string; firstSeenMs: number } | null = null;
  private warnedHidden = false;

  constructor(
    private readonly pool: PostgresPool,
    private readonly warn: (message: string) => void = (message) => process.emitWarning(message),
  ) {}

  async ageMs(): Promise<number> {
    const [row] = await this.pool.query<OldestRow>('read oldest transaction', OLDEST_TRANSACTION);
    const seen = Math.max(toMs(row?.seen_ms), toMs(row?.prepared_ms));
    return Math.max(seen, this.hiddenAgeMs(row?.hidden_xid ?? null));
  }

  private hiddenAgeMs(xid: string | null): number {
    if (xid === null) {
      this.hidden = null;
      return 0;
    }
    if (this.hidden?.xid !== xid) this.hidden = { xid, firstSeenMs: Date.now() };
    if (!this.warnedHidden) {
      this.warnedHidden = true;
      this.warn(
        `PostgreSQL: this role cannot see when other roles' transactions began (transaction ${xid} ` +
          'holds back readers); the oldest transaction age counts from when this instance first saw ' +
          'it. GRANT pg_read_all_stats (or pg_monitor) TO the role of DATABASE_URL for the real age',
      );
    }
    return Date.now() - this.hidden.firstSeenMs;
  }
}

function toMs(value: string | null | undefined): number {
  return value === null || value === undefined ? 0 : Math.max(0, Math.round(Number(value)));
}
