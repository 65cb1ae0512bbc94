import { Timestamp } from '@google-cloud/firestore';
import {
  documentBytes,
  FIRESTORE_MAX_DOCUMENT_BYTES,
  stringBytes,
  valueBytes,
} from './firestore-document-size.js';

describe('Firestore document size', () => {
  it('sizes values as Firestore documents them', () => {
    expect(stringBytes('lebron-james')).toBe(13);
    expect(stringBytes('é')).toBe(3);
    expect(valueBytes(5)).toBe(8);
    expect(valueBytes(0.5)).toBe(8);
    expect(valueBytes(true)).toBe(1);
    expect(valueBytes(null)).toBe(1);
    expect(valueBytes(Timestamp.fromMillis(0))).toBe(8);
    expect(valueBytes(['ab', 'c'])).toBe(3 + 2);
    expect(valueBytes({ ab: 1, c: 'd' })).toBe(3 + 8 + 2 + 2);
    expect(() => valueBytes(undefined)).toThrow(/no Firestore size for a value of type undefined/);
  });

  it("sizes Firestore's own example: a task document in users/jeff/tasks", () => {
    // https://cloud.google.com/firestore/docs/storage-size: name 6 + 5 + 6 + 11 + 16 = 44 bytes,
    // fields 14 + 6 + 17 + 34 = 71 bytes, and 32 more: 147 bytes.
    const fields = {
      type: 'Personal',
      done: false,
      priority: 1,
      description: 'Learn Cloud Firestore',
    };
    expect(documentBytes('users/jeff/tasks/my_task_id', fields)).toBe(147);
  });

  it('puts the limit where the emulator does: a map of 9,600 keys with a 2,119-character string is 1 MiB exactly', () => {
    // Measured on the emulator: one more character is refused ("maximum entity size is 1048576 bytes").
    const map = Object.fromEntries(
      Array.from({ length: 9600 }, (_, n) => [String(n).padStart(100, 'k'), n]),
    );
    expect(documentBytes('s/d', { m: map, p: 'x'.repeat(2119) })).toBe(
      FIRESTORE_MAX_DOCUMENT_BYTES,
    );
  });
});
