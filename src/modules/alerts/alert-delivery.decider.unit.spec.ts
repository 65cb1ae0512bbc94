import type { AlertDeliveryAttempted } from './alert.events.js';
import { decideDelivery, MAX_DELIVERY_ATTEMPTS, NEXT_ATTEMPT } from './alert-delivery.decider.js';

const timeouts = { retryBackoffBaseMs: 100, retryBackoffMaxMs: 150 };

const attempted = (
  attempt: number,
  outcome: 'delivered' | 'failed',
  final = outcome === 'delivered',
): AlertDeliveryAttempted => ({
  alert_id: 'a-1',
  channel: 'slack',
  attempt,
  outcome,
  status_code: outcome === 'delivered' ? 200 : 500,
  error: outcome === 'delivered' ? null : 'Slack webhook answered 500',
  duration_ms: 3,
  attempted_at: '2026-01-22T12:00:00.000Z',
  final,
});

describe('decideDelivery', () => {
  it('allows three attempts', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(3);
  });

  it('given no attempts, sends attempt 1 at once', () => {
    expect(decideDelivery(NEXT_ATTEMPT, [], timeouts)).toEqual({
      kind: 'attempt',
      attempt: 1,
      final: false,
      delayMs: 0,
    });
  });

  it('given one failure, sends attempt 2 after the first backoff', () => {
    expect(decideDelivery(NEXT_ATTEMPT, [attempted(1, 'failed')], timeouts)).toEqual({
      kind: 'attempt',
      attempt: 2,
      final: false,
      delayMs: 100,
    });
  });

  it('given two failures, sends the final attempt after the doubled (capped) backoff', () => {
    expect(
      decideDelivery(NEXT_ATTEMPT, [attempted(1, 'failed'), attempted(2, 'failed')], timeouts),
    ).toEqual({
      kind: 'attempt',
      attempt: 3,
      final: true,
      delayMs: 150,
    });
  });

  it('given a delivered attempt, is done: delivered', () => {
    expect(
      decideDelivery(NEXT_ATTEMPT, [attempted(1, 'failed'), attempted(2, 'delivered')], timeouts),
    ).toEqual({
      kind: 'done',
      outcome: 'delivered',
    });
  });

  it('given a final failed attempt, is done: failed', () => {
    const history = [attempted(1, 'failed'), attempted(2, 'failed'), attempted(3, 'failed', true)];
    expect(decideDelivery(NEXT_ATTEMPT, history, timeouts)).toEqual({
      kind: 'done',
      outcome: 'failed',
    });
  });

  it('given more failures than now allowed but none final, makes one final attempt', () => {
    const history = [attempted(1, 'failed'), attempted(2, 'failed')];
    expect(decideDelivery(NEXT_ATTEMPT, history, { ...timeouts, maxAttempts: 2 })).toMatchObject({
      kind: 'attempt',
      attempt: 3,
      final: true,
    });
  });
});
