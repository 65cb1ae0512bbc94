import type { Clock } from '../../../common/clock/clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerSettings {
  /** Failures counted over this sliding window (a failure exactly windowMs old no longer counts). */
  windowMs: number;
  /** An open breaker half-opens this long after it opened (inclusive). */
  resetMs: number;
  /** Failures within the window that open the breaker. */
  failureThreshold: number;
  /** Consecutive successes while half-open that close it. */
  successThreshold: number;
}

/** The numbers: open after 5 failures in the window, close after 3 successes half-open. */
export const BREAKER_FAILURE_THRESHOLD = 5;
export const BREAKER_SUCCESS_THRESHOLD = 3;

/**
 * One scraper's circuit breaker. closed -> open after `failureThreshold` failures within
 * `windowMs`; open refuses calls until `resetMs` has passed, then half-open lets trial calls
 * through; half-open -> closed after `successThreshold` consecutive successes, -> open again on a
 * failure. Time comes from the injected clock, so tests step through each transition.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures: number[] = [];
  private openedAtMs = 0;
  private trialSuccesses = 0;

  constructor(
    private readonly clock: Clock,
    private readonly settings: CircuitBreakerSettings,
  ) {}

  /** The state now (an open breaker past its reset time reads half_open). */
  get state(): CircuitState {
    if (this.current === 'open' && this.nowMs() >= this.openedAtMs + this.settings.resetMs) {
      this.current = 'half_open';
      this.trialSuccesses = 0;
    }
    return this.current;
  }

  /** When an open breaker lets the next trial call through (ms since the epoch), else null. */
  get retryAtMs(): number | null {
    return this.state === 'open' ? this.openedAtMs + this.settings.resetMs : null;
  }

  allowsCall(): boolean {
    return this.state !== 'open';
  }

  recordSuccess(): void {
    if (this.state !== 'half_open') return;
    this.trialSuccesses += 1;
    if (this.trialSuccesses >= this.settings.successThreshold) {
      this.current = 'closed';
      this.failures = [];
    }
  }

  recordFailure(): void {
    const now = this.nowMs();
    const state = this.state;
    if (state === 'half_open') return this.open(now);
    if (state === 'open') return;
    this.failures = this.failures.filter((at) => at > now - this.settings.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.settings.failureThreshold) this.open(now);
  }

  private open(now: number): void {
    this.current = 'open';
    this.openedAtMs = now;
    this.failures = [];
    this.trialSuccesses = 0;
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}
