import { performance } from 'node:perf_hooks';
import type { SqliteDatabase } from './sqlite-database.js';
import { isBusy, isStorageFault } from './sqlite-errors.js';

interface Pending {
  work: () => unknown;
  /** When the append was asked for: its wait for a busy store counts from here. */
  askedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MAX_GROUP = 256;

/**
 * Group commit: appends that arrive while the process is busy (node:sqlite runs each transaction
 * on the event loop) are written together in one transaction, each under its own savepoint, so
 * one commit and one WAL flush cover many appends. An append that fails rolls back to its savepoint alone; a failed
 * COMMIT fails every append of the group (none of them happened).
 */
export class SqliteGroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly sqlite: SqliteDatabase) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        work,
        askedAt: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const group = this.queue.splice(0, MAX_GROUP);
    if (this.queue.length > 0) this.schedule();
    if (group.length === 1) {
      // Alone, the transaction is the savepoint: skip the savepoint's sub-journal writes.
      const [item] = group as [Pending];
      try {
        item.resolve(await this.sqlite.transaction('append', item.work, 'durable', item.askedAt));
      } catch (error) {
        item.reject(error);
      }
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const askedAt = Math.min(...group.map((item) => item.askedAt));
    try {
      await this.sqlite.transaction(
        `append group of ${group.length}`,
        () => {
          for (const item of group) {
            this.sqlite.db.exec('SAVEPOINT group_append');
            try {
              outcomes.push({ ok: true, value: item.work() });
            } catch (error) {
              // A refused write (full or read-only disk) may have rolled the whole transaction
              // back: the group fails as one, as a 503 (transaction() translates it).
              if (isStorageFault(error) || isBusy(error) || !this.sqlite.db.isTransaction) {
                throw error;
              }
              this.sqlite.db.exec('ROLLBACK TO group_append');
              outcomes.push({ ok: false, error });
            }
            this.sqlite.db.exec('RELEASE group_append');
          }
        },
        'durable',
        askedAt,
      );
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
