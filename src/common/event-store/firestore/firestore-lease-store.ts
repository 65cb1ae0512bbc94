import type { DocumentReference, Transaction } from '@google-cloud/firestore';
import type { LeaseRecord, LeaseStore } from '../event-store.port.js';
import { CONTENDED_TRANSACTION_ATTEMPTS, KeyedMutex } from './firestore-contention.js';
import { documentIdOf } from './firestore-document-id.js';
import { firestoreCall } from './firestore-errors.js';
import type { FirestoreLayout } from './firestore-layout.js';

/**
 * Leases shared by every instance on the database: `leases/<name>`
 * `{ name, holder, expiresAtMs, acquiredAt, renewedAt }`.
 *
 * Time is Firestore's, never an instance's: acquire reads the lease in a transaction and takes the
 * read's `readTime` (the server's clock when it read) as "now", both to judge whether the lease
 * has lapsed and to compute the new expiry. Instances with skewed clocks (or a manual service
 * clock) thus agree on who holds what, as the PostgreSQL store does with clock_timestamp(). The
 * transaction commits a little after its read time, so a lease runs at most that much shorter than
 * asked, never longer; and since the read is part of the transaction, a concurrent acquire that
 * changed the lease meanwhile makes this one run again (and see it). Within one process, the
 * calls on one lease are queued. A lease another instance holds live is seen without a
 * transaction, so only takeovers and renewals lock a lease document.
 */
export class FirestoreLeaseStore implements LeaseStore {
  private readonly queue = new KeyedMutex();

  constructor(private readonly layout: FirestoreLayout) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const ref = this.leaseRef(name);
    // A read outside a transaction takes no lock: instances polling a lease another one holds
    // never make its holder's renewal wait (a transaction's read would lock the document).
    const peek = await firestoreCall(`read lease ${name}`, () => ref.get());
    const held = peek.exists ? (peek.data() as StoredLease) : null;
    if (held && held.holder !== holder && held.expiresAtMs > peek.readTime.toMillis()) {
      return false;
    }
    return this.transaction(name, `acquire lease ${name} for ${holder}`, async (tx) => {
      const snapshot = await tx.get(ref);
      const nowMs = snapshot.readTime.toMillis();
      const current = snapshot.exists ? (snapshot.data() as StoredLease) : null;
      const free = current === null || current.expiresAtMs <= nowMs;
      if (!free && current.holder !== holder) return false;
      const now = new Date(nowMs).toISOString();
      const lease: StoredLease = {
        name,
        holder,
        expiresAtMs: nowMs + ttlMs,
        acquiredAt: current?.holder === holder ? current.acquiredAt : now,
        renewedAt: now,
      };
      tx.set(ref, lease);
      return true;
    });
  }

  release(name: string, holder: string): Promise<void> {
    const ref = this.leaseRef(name);
    return this.transaction(name, `release lease ${name} by ${holder}`, async (tx) => {
      const snapshot = await tx.get(ref);
      if (snapshot.exists && snapshot.get('holder') === holder) tx.delete(ref);
    });
  }

  async list(): Promise<LeaseRecord[]> {
    const page = await firestoreCall('read leases', () =>
      this.layout.collection('leases').orderBy('name').get(),
    );
    return page.docs.map((snapshot) => {
      const lease = snapshot.data() as StoredLease;
      return {
        name: lease.name,
        holder: lease.holder,
        expiresAt: new Date(lease.expiresAtMs).toISOString(),
        acquiredAt: lease.acquiredAt,
        renewedAt: lease.renewedAt,
      };
    });
  }

  private transaction<T>(
    name: string,
    operation: string,
    work: (tx: Transaction) => Promise<T>,
  ): Promise<T> {
    return this.queue.run(name, () =>
      firestoreCall(operation, () =>
        this.layout.transaction(work, { maxAttempts: CONTENDED_TRANSACTION_ATTEMPTS }),
      ),
    );
  }

  private leaseRef(name: string): DocumentReference {
    return this.layout
      .collection('leases')
      .doc(documentIdOf(name, `lease ${JSON.stringify(name)}`));
  }
}

interface StoredLease {
  name: string;
  holder: string;
  /** Server time (ms since the epoch) after which the lease has lapsed. */
  expiresAtMs: number;
  acquiredAt: string;
  renewedAt: string;
}
