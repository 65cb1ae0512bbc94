import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service.js';
import type { AckAction, PulledOutcomeKind } from './ack-decision.js';

type Labels = 'subscription';

/** Per-subscription counters of the pull transport, in the service's Prometheus registry. */
@Injectable()
export class PullMetrics {
  private readonly received: Counter<Labels>;
  private readonly acked: Counter<Labels>;
  private readonly nacked: Counter<Labels | 'reason'>;
  private readonly quarantined: Counter<Labels>;
  private readonly duplicates: Counter<Labels>;
  private readonly ackFailures: Counter<Labels>;
  private readonly inFlight: Gauge<Labels>;
  private readonly ackLatency: Histogram<Labels | 'action'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    const labelNames = ['subscription'] as const;
    this.received = new Counter({
      name: 'shotclock_pull_received_total',
      help: 'Messages received from a pulled subscription',
      labelNames,
      registers,
    });
    this.acked = new Counter({
      name: 'shotclock_pull_acked_total',
      help: 'Pulled messages acknowledged (effect or record committed, or a duplicate)',
      labelNames,
      registers,
    });
    this.nacked = new Counter({
      name: 'shotclock_pull_nacked_total',
      help: 'Pulled messages nacked for redelivery, by reason (unavailable, failed, not_envelope, shutdown, handler_error)',
      labelNames: ['subscription', 'reason'],
      registers,
    });
    this.quarantined = new Counter({
      name: 'shotclock_pull_quarantined_total',
      help: 'Pulled messages quarantined (and acknowledged)',
      labelNames,
      registers,
    });
    this.duplicates = new Counter({
      name: 'shotclock_pull_duplicate_total',
      help: 'Pulled messages recognised as duplicates by their idempotency key (and acknowledged)',
      labelNames,
      registers,
    });
    this.ackFailures = new Counter({
      name: 'shotclock_pull_ack_failures_total',
      help: 'Acks or nacks an exactly-once subscription refused (the message is redelivered; its effect is not repeated)',
      labelNames,
      registers,
    });
    this.inFlight = new Gauge({
      name: 'shotclock_pull_in_flight',
      help: 'Pulled messages being handled now',
      labelNames,
      registers,
    });
    this.ackLatency = new Histogram({
      name: 'shotclock_pull_ack_latency_seconds',
      help: 'From receipt of a pulled message to its ack or nack',
      labelNames: ['subscription', 'action'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  receivedOne(subscription: string): void {
    this.received.inc({ subscription });
    this.inFlight.inc({ subscription });
  }

  /** One message settled: `outcome` is the pipeline's when it gave one. */
  settled(
    subscription: string,
    action: AckAction,
    reason: PulledOutcomeKind | 'shutdown' | 'handler_error',
    seconds: number,
  ): void {
    this.inFlight.dec({ subscription });
    this.ackLatency.observe({ subscription, action }, seconds);
    if (action === 'ack') this.acked.inc({ subscription });
    else this.nacked.inc({ subscription, reason });
    if (reason === 'quarantined') this.quarantined.inc({ subscription });
    if (reason === 'duplicate') this.duplicates.inc({ subscription });
  }

  /** A message refused before any handling (shutdown began): never counted in flight. */
  refused(subscription: string): void {
    this.received.inc({ subscription });
    this.nacked.inc({ subscription, reason: 'shutdown' });
  }

  ackFailed(subscription: string): void {
    this.ackFailures.inc({ subscription });
  }
}
