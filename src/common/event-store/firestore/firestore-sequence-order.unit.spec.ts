import { sequenceOrder, type PendingEvent } from './firestore-sequence-order.js';

const at = (seconds: number, nanoseconds = 0) => ({ seconds, nanoseconds });
const event = (
  streamId: string,
  streamVersion: number,
  committedAt: PendingEvent['committedAt'],
  commitIndex = 0,
): PendingEvent => ({ streamId, streamVersion, committedAt, commitIndex });
const names = (events: readonly PendingEvent[]) =>
  events.map((e) => `${e.streamId}@${e.streamVersion}`);

describe('sequenceOrder', () => {
  it('numbers a batch in commit order, then by place within a commit', () => {
    const batch = [
      event('b', 1, at(5, 200)),
      event('a', 1, at(5, 100), 1),
      event('c', 1, at(5, 100), 0),
      event('a', 2, at(4)),
    ];
    // a@2 cannot come before a@1: the stream's places are filled in version order.
    expect(names(sequenceOrder(batch))).toEqual(['a@1', 'c@1', 'a@2', 'b@1']);
  });

  it('keeps each stream in version order when commit times say otherwise (clock skew)', () => {
    const batch = [
      event('s', 1, at(10)),
      event('t', 1, at(7)),
      event('s', 2, at(5)),
      event('s', 3, at(12)),
    ];
    expect(names(sequenceOrder(batch))).toEqual(['s@1', 't@1', 's@2', 's@3']);
  });

  it('keeps the events of one multi-stream commit in the order they were written', () => {
    const batch = [event('z', 4, at(3), 2), event('y', 1, at(3), 0), event('y', 2, at(3), 1)];
    expect(names(sequenceOrder(batch))).toEqual(['y@1', 'y@2', 'z@4']);
  });

  it('returns every event of the batch exactly once', () => {
    const batch = Array.from({ length: 60 }, (_, i) =>
      event(`s${i % 7}`, Math.floor(i / 7) + 1, at(100 - i, i % 3), i % 4),
    );
    const ordered = sequenceOrder(batch);
    expect(new Set(ordered)).toEqual(new Set(batch));
    for (let stream = 0; stream < 7; stream++) {
      const versions = ordered
        .filter((e) => e.streamId === `s${stream}`)
        .map((e) => e.streamVersion);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
  });
});
