import { ManualClock } from '../../../common/clock/clock.js';
import { CircuitBreaker } from './circuit-breaker.js';

const WINDOW_MS = 60_000;
const RESET_MS = 300_000;

describe('CircuitBreaker', () => {
  let clock: ManualClock;
  let breaker: CircuitBreaker;
  beforeEach(() => {
    clock = new ManualClock('2026-01-22T12:00:00.000Z');
    breaker = new CircuitBreaker(clock, {
      windowMs: WINDOW_MS,
      resetMs: RESET_MS,
      failureThreshold: 5,
      successThreshold: 3,
    });
  });
  const fail = (times: number, everyMs = 0) => {
    for (let i = 0; i < times; i++) {
      if (i > 0) clock.advanceMs(everyMs);
      breaker.recordFailure();
    }
  };
  const openIt = () => fail(5);

  it('given 4 failures in the window, when a call comes, then it is let through (closed)', () => {
    fail(4, 1000);
    expect(breaker.state).toBe('closed');
    expect(breaker.allowsCall()).toBe(true);
  });

  it('given 4 failures, when the 5th comes within the window, then it opens and refuses calls', () => {
    fail(5, (WINDOW_MS - 1) / 4);
    expect(breaker.state).toBe('open');
    expect(breaker.allowsCall()).toBe(false);
  });

  it('given the first failure exactly windowMs before the 5th, then it stays closed (sliding window)', () => {
    fail(5, WINDOW_MS / 4);
    expect(breaker.state).toBe('closed');
  });

  it('given successes between failures, then failures in the window still open it', () => {
    fail(3);
    breaker.recordSuccess();
    fail(2);
    expect(breaker.state).toBe('open');
  });

  it('given open, when resetMs minus 1 ms passed, then still open; at resetMs, half-open', () => {
    openIt();
    clock.advanceMs(RESET_MS - 1);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAtMs).toBe(clock.now().getTime() + 1);
    clock.advanceMs(1);
    expect(breaker.state).toBe('half_open');
    expect(breaker.allowsCall()).toBe(true);
    expect(breaker.retryAtMs).toBeNull();
  });

  it('given half-open, when 2 successes, then still half-open; the 3rd closes it', () => {
    openIt();
    clock.advanceMs(RESET_MS);
    breaker.recordSuccess();
    breaker.recordSuccess();
    expect(breaker.state).toBe('half_open');
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('given half-open with 2 successes, when a failure, then open again for a full resetMs', () => {
    openIt();
    clock.advanceMs(RESET_MS);
    breaker.recordSuccess();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    clock.advanceMs(RESET_MS - 1);
    expect(breaker.state).toBe('open');
    clock.advanceMs(1);
    expect(breaker.state).toBe('half_open');
  });

  it('given closed again after half-open, then old failures are forgotten: 4 new ones keep it closed', () => {
    openIt();
    clock.advanceMs(RESET_MS);
    for (let i = 0; i < 3; i++) breaker.recordSuccess();
    fail(4);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
  });

  it('given open, when failures are recorded (calls in flight when it opened), then reset time does not move', () => {
    openIt();
    clock.advanceMs(RESET_MS / 2);
    breaker.recordFailure();
    clock.advanceMs(RESET_MS / 2);
    expect(breaker.state).toBe('half_open');
  });
});
