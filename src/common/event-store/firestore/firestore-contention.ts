/**
 * Tries of a transaction on a document many instances change (a running total, a counter, a
 * lease) before it gives up as StoreUnavailableError (the client's default is 5). Firestore runs
 * a transaction again when another one changed what it read; locks make the loser wait first.
 */
export const CONTENDED_TRANSACTION_ATTEMPTS = 10;

/**
 * Runs sections one at a time per key, in call order. Transactions of one process on the same
 * document only slow each other down (each waits for the other's lock, or runs again), so a store
 * queues them here and leaves Firestore to arbitrate between processes only.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(section);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
