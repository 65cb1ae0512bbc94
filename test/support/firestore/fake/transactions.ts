import { aborted, invalidArgument } from './errors.js';
import type { TransactionOptionsWire } from './wire-types.js';

/** How long a commit waits for document locks before it answers ABORTED (the client retries). */
export interface LockWaits {
  /** A transaction's commit waiting for an older transaction that read the same documents. */
  transactionMs: number;
  /** A plain (non-transactional) write waiting for transactions that read its documents. */
  writeMs: number;
}

export class FakeTransaction {
  state: 'active' | 'aborted' | 'ended' = 'active';
  abortReason = '';
  /** Names read (locked) by a read-write transaction, with the update time seen (0: missing). */
  readonly reads = new Map<string, number>();

  constructor(
    readonly id: Buffer,
    /** Lower is older: wound-wait lets an older transaction abort a younger lock holder. */
    readonly priority: number,
    /** Set for read-only transactions: they read the database as of this time and lock nothing. */
    readonly readOnlyAt: number | undefined,
  ) {}

  get label(): string {
    return this.id.toString();
  }
}

interface Waiter {
  transaction: FakeTransaction | undefined;
  names: string[];
  /** Runs the work if nothing blocks it any more; false if it must keep waiting. */
  attempt: () => boolean;
  fail: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One database's transactions and pessimistic locks, like the emulator and production: documents
 * read in a read-write transaction are locked until it commits or rolls back; a commit touching a
 * locked document waits. Between transactions, wound-wait avoids deadlocks: a commit aborts
 * younger transactions holding its documents and waits only for older ones (bounded).
 */
export class TransactionManager {
  private readonly transactions = new Map<string, FakeTransaction>();
  private readonly holders = new Map<string, Set<FakeTransaction>>();
  private waiters: Waiter[] = [];
  private lastNumber = 0;
  private draining = false;

  constructor(private readonly waits: LockWaits) {}

  /** `readOnlyAt`: the read time of a read-only transaction; undefined for read-write. */
  begin(
    options: TransactionOptionsWire | null | undefined,
    readOnlyAt: number | undefined,
  ): FakeTransaction {
    const number = ++this.lastNumber;
    const retried = options?.readWrite?.retryTransaction;
    const previous = retried?.length ? this.transactions.get(retried.toString()) : undefined;
    const id = Buffer.from(`fake-transaction-${number}`);
    const transaction = new FakeTransaction(id, previous?.priority ?? number, readOnlyAt);
    this.transactions.set(transaction.label, transaction);
    return transaction;
  }

  /** The active transaction `id`: ABORTED if it was aborted, INVALID_ARGUMENT if unknown or over. */
  active(id: Buffer): FakeTransaction {
    const transaction = this.transactions.get(id.toString());
    if (transaction?.state === 'aborted') {
      throw aborted(`Transaction ${transaction.label} was aborted: ${transaction.abortReason}`);
    }
    if (transaction?.state !== 'active') {
      throw invalidArgument(
        `Transaction ${id.toString()} is ${transaction ? 'already committed or rolled back' : 'unknown'}`,
      );
    }
    return transaction;
  }

  /** Records a read-write transaction's reads and locks their documents until it ends. */
  recordReads(transaction: FakeTransaction, reads: { name: string; updateTime: number }[]): void {
    if (transaction.readOnlyAt !== undefined) return;
    for (const { name, updateTime } of reads) {
      if (!transaction.reads.has(name)) transaction.reads.set(name, updateTime);
      const holders = this.holders.get(name) ?? new Set();
      holders.add(transaction);
      this.holders.set(name, holders);
    }
  }

  /**
   * Runs `work` (synchronously, so it is atomic) once no other transaction holds a lock on `names`.
   * `transaction` is the committing one, undefined for a plain write.
   */
  exclusive<T>(
    transaction: FakeTransaction | undefined,
    names: string[],
    work: () => T,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        if (this.blockers(transaction, names).length > 0) return false;
        try {
          resolve(work());
        } catch (error) {
          reject(error as Error);
        }
        return true;
      };
      if (attempt()) return;
      const waitMs = transaction ? this.waits.transactionMs : this.waits.writeMs;
      const waiter: Waiter = {
        transaction,
        names,
        attempt,
        fail: reject,
        timer: setTimeout(() => this.timeOut(waiter, waitMs), waitMs),
      };
      waiter.timer.unref();
      this.waiters.push(waiter);
    });
  }

  /** Commit or rollback: releases the transaction's locks. */
  end(transaction: FakeTransaction): void {
    if (transaction.state === 'active') transaction.state = 'ended';
    this.release(transaction);
  }

  rollback(id: Buffer): void {
    const transaction = this.transactions.get(id.toString());
    if (!transaction) throw invalidArgument(`Transaction ${id.toString()} is unknown`);
    // A commit still waiting for locks (its call gave up) must not apply after the rollback.
    const waiting = this.waiters.find((waiter) => waiter.transaction === transaction);
    if (waiting) this.dropWaiter(waiting, 'rolled back while its commit waited for locks');
    this.end(transaction);
  }

  /** reset(): every transaction aborts, every waiting commit answers ABORTED. */
  abortAll(reason: string): void {
    for (const transaction of this.transactions.values()) {
      if (transaction.state === 'active') this.abort(transaction, reason);
    }
    for (const waiter of [...this.waiters]) this.dropWaiter(waiter, reason);
    this.holders.clear();
  }

  private abort(transaction: FakeTransaction, reason: string): void {
    transaction.state = 'aborted';
    transaction.abortReason = reason;
    const waiter = this.waiters.find((candidate) => candidate.transaction === transaction);
    if (waiter) this.dropWaiter(waiter, reason);
    this.release(transaction);
  }

  /** Other transactions holding `names`; a committing transaction first wounds the younger ones. */
  private blockers(transaction: FakeTransaction | undefined, names: string[]): FakeTransaction[] {
    const blocking = this.holdersOf(transaction, names);
    if (!transaction) return blocking;
    for (const holder of blocking.filter((other) => other.priority > transaction.priority)) {
      this.abort(holder, `an older transaction (${transaction.label}) commits documents it read`);
    }
    return blocking.filter((holder) => holder.priority < transaction.priority);
  }

  private holdersOf(transaction: FakeTransaction | undefined, names: string[]): FakeTransaction[] {
    const holders = new Set<FakeTransaction>();
    for (const name of names) {
      for (const holder of this.holders.get(name) ?? []) {
        if (holder !== transaction) holders.add(holder);
      }
    }
    return [...holders];
  }

  private release(transaction: FakeTransaction): void {
    for (const name of transaction.reads.keys()) {
      const holders = this.holders.get(name);
      holders?.delete(transaction);
      if (holders?.size === 0) this.holders.delete(name);
    }
    this.drain();
  }

  /** Retries waiting commits in arrival order after locks were released. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const waiter of [...this.waiters]) {
          if (!this.waiters.includes(waiter) || !waiter.attempt()) continue;
          this.removeWaiter(waiter);
          progressed = true;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private timeOut(waiter: Waiter, waitMs: number): void {
    const holders = this.holdersOf(waiter.transaction, waiter.names).map((holder) => holder.label);
    const reason = `waited ${waitMs} ms for locks held by ${holders.join(', ')} on ${waiter.names.join(', ')}`;
    this.dropWaiter(waiter, reason);
    if (waiter.transaction) this.abort(waiter.transaction, reason);
  }

  private dropWaiter(waiter: Waiter, reason: string): void {
    if (!this.removeWaiter(waiter)) return;
    const who = waiter.transaction ? `Transaction ${waiter.transaction.label}` : 'A write';
    waiter.fail(aborted(`${who} was aborted: ${reason}; retry it`));
  }

  private removeWaiter(waiter: Waiter): boolean {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return false;
    clearTimeout(waiter.timer);
    this.waiters.splice(index, 1);
    return true;
  }
}
