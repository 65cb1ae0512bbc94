import { ackDecision, type PulledOutcome, type PulledOutcomeKind } from './ack-decision.js';

const outcome = (kind: PulledOutcomeKind, status: number): PulledOutcome => ({
  outcome: kind,
  status,
  detail: `detail of ${kind}`,
});

describe('ackDecision: the pull side of the response policy', () => {
  it.each([
    // Effect committed with its key, or recognised as already committed.
    ['processed', 204, 'ack'],
    ['duplicate', 204, 'ack'],
    // A durable record instead of the effect; a redelivery could only find that record again.
    ['quarantined', 202, 'ack'],
    ['conflict', 422, 'ack'],
    // Nothing recorded: Pub/Sub must redeliver (push answers these with 503, 500 and 400).
    ['unavailable', 503, 'nack'],
    ['failed', 500, 'nack'],
    ['not_envelope', 400, 'nack'],
  ] as const)('%s (push would answer %i) is a %s', (kind, status, action) => {
    expect(ackDecision(outcome(kind, status))).toEqual({
      action,
      outcome: kind,
      reason: `${kind}: detail of ${kind}`,
    });
  });

  it.each([
    ['undefined', undefined, /returned undefined, not a pipeline outcome/],
    ['null', null, /returned null/],
    ['a string', 'ok', /returned a string/],
    ['an object without outcome', { status: 204 }, /an object without an outcome/],
    ['an unknown outcome', { status: 204, outcome: 'acked' }, /an unknown outcome "acked"/],
    [
      'an inherited outcome name',
      { status: 204, outcome: 'toString' },
      /an unknown outcome "toString"/,
    ],
  ])(
    'nacks what is not a pipeline outcome (%s): nothing is known to be recorded',
    (_what, value, reason) => {
      const decision = ackDecision(value);
      expect(decision).toMatchObject({ action: 'nack', outcome: null });
      expect(decision.reason).toMatch(reason);
    },
  );
});
