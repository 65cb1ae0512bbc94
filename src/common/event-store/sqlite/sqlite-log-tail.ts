import type { RecordedEvent } from '../event-envelope.js';
import { toPosition } from './sqlite-position.js';

/** An event as stored: its data and metadata still JSON, parsed afresh for every reader. */
export interface StoredEventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export interface TailLimits {
  maxEvents: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: TailLimits = { maxEvents: 8192, maxBytes: 16 * 2 ** 20 };

/**
 * The newest events this process appended, kept in memory in log order so that the followers
 * (projections, reactions, outbox topics, exports), which wake after every commit and read only
 * what is new, are answered without a query each. It holds one contiguous run of positions: an
 * event of another process (a gap) or a failed transaction starts it afresh, and anything it cannot
 * answer wholly is read from the table. Rows enter at commit; a rolled-back transaction's never do.
 */
export class SqliteLogTail {
  /**
   * rows[first..] is the tail. Dropped rows are released at once (their slot emptied); the empty
   * prefix is cut off now and then, not on every drop.
   */
  private rows: Array<StoredEventRow | undefined> = [];
  private first = 0;
  private bytes = 0;
  private pending: StoredEventRow[] = [];

  constructor(private readonly limits: TailLimits = DEFAULT_LIMITS) {}

  /** Events written by the open transaction, once the append that wrote them has succeeded. */
  appended(rows: readonly StoredEventRow[]): void {
    this.pending.push(...rows);
  }

  transactionEnded(committed: boolean): void {
    const added = this.pending;
    this.pending = [];
    if (!committed) return;
    for (const row of added) this.add(row);
  }

  /**
   * The events after `after` up to `until` (positions as numbers), filtered by type, at most
   * `limit`; or null when the tail does not hold that whole range.
   */
  read(
    after: number,
    until: number,
    types: ReadonlySet<string> | null,
    limit: number,
  ): RecordedEvent[] | null {
    const oldest = this.rows[this.first];
    const newest = this.rows[this.rows.length - 1];
    if (!oldest || !newest || after < oldest.position - 1 || until > newest.position) return null;
    const found: RecordedEvent[] = [];
    for (
      let index = this.first + Math.max(0, after - oldest.position + 1);
      index < this.rows.length;
      index++
    ) {
      const row = this.rows[index]!;
      if (row.position > until || found.length >= limit) break;
      if (types === null || types.has(row.type)) found.push(toRecordedEvent(row));
    }
    return found;
  }

  private add(row: StoredEventRow): void {
    const newest = this.rows[this.rows.length - 1];
    if (newest && row.position !== newest.position + 1) this.clear();
    const size = sizeOf(row);
    if (size > this.limits.maxBytes) {
      this.clear();
      return;
    }
    this.rows.push(row);
    this.bytes += size;
    while (
      this.rows.length - this.first > this.limits.maxEvents ||
      this.bytes > this.limits.maxBytes
    ) {
      this.bytes -= sizeOf(this.rows[this.first]!);
      this.rows[this.first] = undefined;
      this.first += 1;
    }
    if (this.first > this.limits.maxEvents) {
      this.rows = this.rows.slice(this.first);
      this.first = 0;
    }
  }

  private clear(): void {
    this.rows = [];
    this.first = 0;
    this.bytes = 0;
  }
}

const sizeOf = (row: StoredEventRow) => row.data.length + row.metadata.length;

export function toRecordedEvent(row: StoredEventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    position: toPosition(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
  };
}
