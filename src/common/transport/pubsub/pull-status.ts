import { Injectable } from '@nestjs/common';

/**
 * `connecting`: reading the subscription and opening its stream (at start, and after a failure).
 * `open`: the stream is open (the client library retries transient stream errors by itself).
 * `failed`: the stream stopped with an error it does not retry (missing subscription, permission
 * denied); it is reopened after a backoff. `closed`: shutdown closed it.
 */
export type StreamState = 'connecting' | 'open' | 'failed' | 'closed';

/** One pulled subscription's stream, as readiness and GET /health show it. */
export interface SubscriptionHealth {
  subscription: string;
  route: string;
  state: StreamState;
  exactly_once: boolean | null;
  dead_letter_policy: boolean | null;
  in_flight: number;
  last_message_at: string | null;
  /** The last error of the stream (also one the library retried), kept after recovery. */
  last_error: string | null;
  last_error_at: string | null;
}

/** The health of every pulled subscription of this process (none when it does not pull). */
@Injectable()
export class PullStatus {
  private readonly streams = new Map<string, SubscriptionHealth>();

  track(subscription: string, route: string): SubscriptionHealth {
    const health: SubscriptionHealth = {
      subscription,
      route,
      state: 'connecting',
      exactly_once: null,
      dead_letter_policy: null,
      in_flight: 0,
      last_message_at: null,
      last_error: null,
      last_error_at: null,
    };
    this.streams.set(subscription, health);
    return health;
  }

  get pulling(): boolean {
    return this.streams.size > 0;
  }

  list(): SubscriptionHealth[] {
    return [...this.streams.values()].map((health) => ({ ...health }));
  }

  /** Why readiness fails, or null: a stream that is not open while the process is not stopping. */
  problems(): string | null {
    const down = this.list().filter(
      (health) => health.state === 'failed' || health.state === 'connecting',
    );
    if (down.length === 0) return null;
    return down
      .map(
        (health) =>
          `${health.subscription} (${health.route}) ${health.state}` +
          (health.last_error ? `: ${health.last_error}` : ''),
      )
      .join('; ');
  }
}
