import { SqliteLogTail, type StoredEventRow } from './sqlite-log-tail.js';

const row = (position: number, type = 'Noted', size = 2): StoredEventRow => ({
  position,
  event_id: `event-${position}`,
  stream_id: 'stream',
  stream_version: position,
  type,
  data: JSON.stringify({ n: position, pad: 'x'.repeat(Math.max(0, size - 20)) }),
  metadata: '{}',
  recorded_at: '2026-12-03T10:00:00.000Z',
});
const positions = (events: Array<{ position: string }> | null) =>
  events?.map((event) => Number(event.position)) ?? null;
const committed = (tail: SqliteLogTail, ...rows: StoredEventRow[]) => {
  tail.appended(rows);
  tail.transactionEnded(true);
};

describe('SqliteLogTail', () => {
  it('answers a range it holds, by type and up to a limit, with fresh objects each time', () => {
    const tail = new SqliteLogTail();
    committed(tail, row(5), row(6, 'Other'), row(7), row(8));
    expect(positions(tail.read(4, 8, null, 100))).toEqual([5, 6, 7, 8]);
    expect(positions(tail.read(5, 7, null, 100))).toEqual([6, 7]);
    expect(positions(tail.read(4, 8, new Set(['Noted']), 100))).toEqual([5, 7, 8]);
    expect(positions(tail.read(4, 8, null, 2))).toEqual([5, 6]);
    expect(positions(tail.read(8, 8, null, 100))).toEqual([]);
    const [first] = tail.read(4, 5, null, 1)!;
    (first!.data as { n: number }).n = 99;
    expect(tail.read(4, 5, null, 1)![0]!.data).toMatchObject({ n: 5 });
  });

  it('sends a reader to the table for what lies before or beyond it', () => {
    const tail = new SqliteLogTail();
    expect(tail.read(0, 10, null, 100)).toBeNull();
    committed(tail, row(5), row(6));
    expect(tail.read(3, 6, null, 100)).toBeNull(); // position 4 is not held
    expect(tail.read(4, 7, null, 100)).toBeNull(); // 7 may be another process's
  });

  it('keeps only committed events, and starts afresh after a gap', () => {
    const tail = new SqliteLogTail();
    committed(tail, row(1), row(2));
    tail.appended([row(3)]);
    tail.transactionEnded(false);
    expect(positions(tail.read(0, 2, null, 100))).toEqual([1, 2]);
    committed(tail, row(3)); // the rolled-back position, taken again
    committed(tail, row(5)); // 4 was written by another process
    expect(tail.read(0, 5, null, 100)).toBeNull();
    expect(positions(tail.read(4, 5, null, 100))).toEqual([5]);
  });

  it('holds at most its limits of events and bytes, dropping the oldest', () => {
    const tail = new SqliteLogTail({ maxEvents: 3, maxBytes: 1000 });
    committed(tail, row(1), row(2), row(3), row(4), row(5));
    expect(tail.read(1, 5, null, 100)).toBeNull();
    expect(positions(tail.read(2, 5, null, 100))).toEqual([3, 4, 5]);
    committed(tail, row(6, 'Noted', 600), row(7, 'Noted', 600));
    expect(tail.read(5, 7, null, 100)).toBeNull();
    expect(positions(tail.read(6, 7, null, 100))).toEqual([7]);
    committed(tail, row(8, 'Noted', 2000)); // larger than the whole tail
    expect(tail.read(7, 8, null, 100)).toBeNull();
    committed(tail, row(9));
    expect(positions(tail.read(8, 9, null, 100))).toEqual([9]);
  });
});
