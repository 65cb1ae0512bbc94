import { OrderingKeyPauses } from './ordering-key-pauses.js';

describe('OrderingKeyPauses', () => {
  it('resumes a paused key only for the retry of the message that paused it, once', () => {
    const pauses = new OrderingKeyPauses();
    expect(pauses.resumeBefore('t', 'stream-a', 'm1')).toBe('none');
    pauses.failed('t', 'stream-a', 'm1');
    expect(pauses.pausedBy('t', 'stream-a')).toBe('m1');
    expect(pauses.resumeBefore('t', 'stream-a', 'm1')).toBe('retry');
    expect(pauses.resumeBefore('t', 'stream-a', 'm1')).toBe('none');
  });

  it('keeps keys apart per topic and per stream', () => {
    const pauses = new OrderingKeyPauses();
    pauses.failed('t1', 'stream-a', 'm1');
    expect(pauses.resumeBefore('t2', 'stream-a', 'm1')).toBe('none');
    expect(pauses.resumeBefore('t1', 'stream-b', 'm2')).toBe('none');
    expect(pauses.pausedBy('t1', 'stream-a')).toBe('m1');
  });

  it('says when the next message of a paused key is another one (delivered by another instance)', () => {
    const pauses = new OrderingKeyPauses();
    pauses.failed('t', 'stream-a', 'm1');
    expect(pauses.resumeBefore('t', 'stream-a', 'm2')).toBe('delivered-elsewhere');
    expect(pauses.pausedBy('t', 'stream-a')).toBeUndefined();
  });
});
