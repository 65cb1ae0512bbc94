import { Timestamp } from '@google-cloud/firestore';
import { plainFirestoreData, timestampAsRfc3339 } from './firestore-values.js';

describe('Firestore values as JSON would hold them', () => {
  it.each([
    [Timestamp.fromDate(new Date('2026-01-20T15:00:00Z')), '2026-01-20T15:00:00Z'],
    [new Timestamp(1768921752, 123456000), '2026-01-20T15:09:12.123456Z'],
    [new Timestamp(1768921752, 5), '2026-01-20T15:09:12.000000005Z'],
  ])('writes %s as %s', (timestamp, text) => {
    expect(timestampAsRfc3339(timestamp)).toBe(text);
  });

  it('converts timestamps inside maps and arrays and leaves other values alone', () => {
    const at = new Timestamp(1768921200, 0);
    expect(
      plainFirestoreData({
        start_time: at,
        nested: { times: [at, 'text'], count: 3 },
        flag: null,
      }),
    ).toEqual({
      start_time: '2026-01-20T15:00:00Z',
      nested: { times: ['2026-01-20T15:00:00Z', 'text'], count: 3 },
      flag: null,
    });
  });
});
