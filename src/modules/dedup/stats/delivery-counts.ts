import { Injectable } from '@nestjs/common';
import type { PushOutcome } from '../push/push-outcome.js';

/** What this instance answered to push deliveries since it started (GET /v1/dedup/stats). */
@Injectable()
export class DeliveryCounts {
  readonly since = new Date().toISOString();
  private readonly counts = new Map<string, Map<PushOutcome['outcome'], number>>();

  count(endpoint: string, outcome: PushOutcome['outcome']): void {
    const byOutcome = this.counts.get(endpoint) ?? new Map<PushOutcome['outcome'], number>();
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    this.counts.set(endpoint, byOutcome);
  }

  /** Deliveries answered with `outcome`, in total and by endpoint. */
  of(outcome: PushOutcome['outcome']): { total: number; by_endpoint: Record<string, number> } {
    const byEndpoint: Record<string, number> = {};
    let total = 0;
    for (const [endpoint, byOutcome] of this.counts) {
      const n = byOutcome.get(outcome) ?? 0;
      if (n === 0) continue;
      byEndpoint[endpoint] = n;
      total += n;
    }
    return { total, by_endpoint: byEndpoint };
  }
}
