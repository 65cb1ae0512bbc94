import type { Position } from '../event-envelope.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { fromPosition } from './sqlite-position.js';

/**
 * How far the log may be read. Without a WAL flush (NORMAL, `:memory:`) every committed event is
 * readable. Under FULL an event becomes readable once a flush that started after its commit has
 * succeeded, so followers, projections, the outbox and exports never act on an event that a power
 * loss could still take back. (Deciders reading a stream may see a newer event: anything they
 * append lands after it in the WAL and cannot outlive it.)
 */
export class SqliteLogHeads {
  private insertedInTransaction = false;
  /** The newest committed position, known from this process's first commit with events on. */
  private committed: number | null = null;
  private durable: number | null = null;
  /** One look at the table for every follower woken by the same append. */
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly sqlite: SqliteDatabase,
    /** max(position) on the connection, called inside its transactions or reads. */
    private readonly headNow: () => Position | null,
  ) {
    sqlite.onTransactionEnd((committed) => {
      if (!this.insertedInTransaction) return;
      this.insertedInTransaction = false;
      if (committed) this.committed = fromPosition(this.headNow());
    });
    sqlite.walSync?.track<number | null>({
      capture: () => this.committed,
      apply: (head) => this.advance(head),
    });
  }

  /** Called by a transaction that inserts events, so its commit moves the committed head. */
  eventsInserted(): void {
    this.insertedInTransaction = true;
  }

  /** The last readable position as a number (no limit without a WAL flush). */
  async readableLimit(): Promise<number> {
    if (!this.sqlite.walSync) return Number.MAX_SAFE_INTEGER;
    if (this.durable === null) await this.refresh();
    return this.durable ?? 0;
  }

  /**
   * The readable head, looking at the table first: events that another process (or an earlier
   * run of this one) committed become readable once a flush of this process has covered them.
   */
  async readableHead(): Promise<number> {
    await this.refresh();
    return this.durable ?? 0;
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.lookAtTable().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async lookAtTable(): Promise<void> {
    const table = fromPosition(await this.sqlite.exclusive('read head', this.headNow));
    if (this.durable !== null && table <= this.durable) return;
    // Our own commits become readable when the flush their appends await has succeeded.
    if (this.committed !== null && table <= this.committed) return;
    await this.sqlite.makeDurable('reading events committed by another process');
    this.advance(table);
  }

  private advance(head: number | null): void {
    if (head !== null && (this.durable === null || head > this.durable)) this.durable = head;
  }
}
