import type { Transaction } from '@google-cloud/firestore';

/**
 * Work that shares a transaction with an append (a timer marked fired with its event). Firestore
 * wants every read of a transaction before its first write, so a part runs in two phases: it reads
 * first and returns its writes, or null to cancel the whole append (nothing is written). The
 * append's own reads run between the two phases.
 */
export type TransactionPart = (tx: Transaction) => Promise<((tx: Transaction) => void) | null>;
