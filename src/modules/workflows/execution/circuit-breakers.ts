import type { Clock } from '../../../common/clock/clock.js';
import type { TimeoutConfig } from '../../../common/config/index.js';
import {
  BREAKER_FAILURE_THRESHOLD,
  BREAKER_SUCCESS_THRESHOLD,
  CircuitBreaker,
} from './circuit-breaker.js';

/** One circuit breaker per scraper, shared by every execution of this process (in memory). */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly clock: Clock,
    private readonly timeouts: Pick<
      TimeoutConfig,
      'circuitBreakerWindowMs' | 'circuitBreakerResetMs'
    >,
  ) {}

  forScraper(scraper: string): CircuitBreaker {
    let breaker = this.breakers.get(scraper);
    if (!breaker) {
      breaker = new CircuitBreaker(this.clock, {
        windowMs: this.timeouts.circuitBreakerWindowMs,
        resetMs: this.timeouts.circuitBreakerResetMs,
        failureThreshold: BREAKER_FAILURE_THRESHOLD,
        successThreshold: BREAKER_SUCCESS_THRESHOLD,
      });
      this.breakers.set(scraper, breaker);
    }
    return breaker;
  }
}
