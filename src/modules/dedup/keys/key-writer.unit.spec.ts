import { keyWriter } from './key-writer.js';

const SUB = 'projects/p/subscriptions/s';
const FINGERPRINT = 'ab'.repeat(32);

describe('keyWriter: who wrote an idempotency key', () => {
  it('reads a push key: endpoint, subscription and message id', () => {
    expect(keyWriter(`push:phase2-completions:${SUB}/2070443601311540`, null)).toEqual({
      kind: 'push',
      endpoint: 'phase2-completions',
      subscription: SUB,
      message_id: '2070443601311540',
    });
    // A message sent without an id is keyed by its fingerprint id.
    expect(keyWriter(`push:scores:${SUB}/fp:${FINGERPRINT}`, null)).toMatchObject({
      subscription: SUB,
      message_id: `fp:${FINGERPRINT}`,
    });
  });

  it('splits where the first event says when the message id holds a slash', () => {
    expect(keyWriter(`push:scores:${SUB}/a/b`, { messageId: 'a/b' })).toMatchObject({
      subscription: SUB,
      message_id: 'a/b',
    });
    expect(keyWriter(`push:scores:${SUB}/a/b`, null)).toMatchObject({
      subscription: `${SUB}/a`,
      message_id: 'b',
    });
  });

  it('reads keys written before keys were scoped by endpoint', () => {
    expect(keyWriter(`push:${SUB}/42`, null)).toEqual({
      kind: 'push',
      endpoint: null,
      subscription: SUB,
      message_id: '42',
    });
  });

  it('reads conflict records and quarantine replays', () => {
    expect(keyWriter(`conflict:scores:${SUB}/42:${FINGERPRINT}`, null)).toEqual({
      kind: 'conflict_record',
      endpoint: 'scores',
      subscription: SUB,
      message_id: '42',
    });
    expect(keyWriter('replay:q20260122120000000-0a1b2c3d', null)).toEqual({
      kind: 'quarantine_replay',
      quarantine_id: 'q20260122120000000-0a1b2c3d',
    });
  });

  it("names any other writer by its key's prefix", () => {
    expect(keyWriter('alert:phase2-deadline:2026-01-22', null)).toEqual({
      kind: 'other',
      prefix: 'alert',
    });
    expect(keyWriter('timer:batch-stall:b1:0', null)).toEqual({ kind: 'other', prefix: 'timer' });
    expect(keyWriter('bare', null)).toEqual({ kind: 'other', prefix: 'bare' });
  });
});
