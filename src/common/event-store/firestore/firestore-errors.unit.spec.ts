import { StoreUnavailableError } from '../event-store.errors.js';
import { firestoreCall, isClosedTransaction, translateFirestoreError } from './firestore-errors.js';

const grpcError = (code: number) => Object.assign(new Error(`status ${code}`), { code });

describe('Firestore errors', () => {
  it.each([
    [4, 'DEADLINE_EXCEEDED'],
    [8, 'RESOURCE_EXHAUSTED'],
    [10, 'ABORTED'],
    [14, 'UNAVAILABLE'],
  ])('makes code %i (%s) a StoreUnavailableError naming the operation', (code) => {
    const translated = translateFirestoreError('append', grpcError(code));
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect((translated as Error).message).toMatch(/^event store unavailable during append: status/);
  });

  it.each([3, 5, 6, 7, 9])('passes code %i through unchanged: retrying would not help', (code) => {
    const error = grpcError(code);
    expect(translateFirestoreError('append', error)).toBe(error);
  });

  it('translates what a call throws and returns what it resolves', async () => {
    await expect(firestoreCall('read', async () => 7)).resolves.toBe(7);
    await expect(
      firestoreCall('read', async () => {
        throw grpcError(14);
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('isClosedTransaction', () => {
  it('knows the answer for a transaction Firestore closed, and nothing else', () => {
    const closed = Object.assign(
      new Error('3 INVALID_ARGUMENT: Transaction is invalid or closed.'),
      {
        code: 3,
      },
    );
    expect(isClosedTransaction(closed)).toBe(true);
    expect(
      isClosedTransaction(Object.assign(new Error('Transaction has expired'), { code: 3 })),
    ).toBe(true);
    expect(isClosedTransaction(Object.assign(new Error('Value too large'), { code: 3 }))).toBe(
      false,
    );
    expect(
      isClosedTransaction(
        Object.assign(new Error('Transaction is invalid or closed'), { code: 10 }),
      ),
    ).toBe(false);
  });
});
