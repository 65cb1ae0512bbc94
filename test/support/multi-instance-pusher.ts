import type { Instance } from './multi-instance-process.js';
import type { Send, WorkloadMessage } from './multi-instance-workload.js';

/** A message still unacknowledged after this many deliveries fails the run (not a flake: a bug). */
const MAX_DELIVERIES = 25;
const DELIVERY_TIMEOUT_MS = 15_000;

export interface PushStats {
  /** HTTP requests sent (first deliveries, planned duplicates and redeliveries). */
  requests: number;
  /** Plan steps sent to two instances at the same moment. */
  concurrentPairs: number;
  /** Deliveries repeated because the previous one got no 2xx: what Pub/Sub redelivers. */
  redeliveries: number;
  /** Of those, deliveries with no answer at all (connection refused or reset, timeout). */
  noAnswer: number;
  /** Answers by status code. */
  statuses: Record<number, number>;
  /** 204 answers flagged Idempotent-Replayed: a duplicate recognised, its first result returned. */
  replayed: number;
  /** Messages answered 204 at least once. */
  acknowledged: Set<string>;
}

export interface PushOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Runs once when half of the plan has been handed out; pushing goes on meanwhile. */
  atHalfway?: () => Promise<void>;
}

/**
 * Delivers a plan like Pub/Sub push: round-robin over the live instances with bounded
 * concurrency; a delivery that gets no answer or a 5xx is redelivered (same message id) to the
 * next live instance. 204 acknowledges; any other 2xx/4xx (quarantine, validation) fails the run,
 * since the workload holds only valid messages.
 */
export class Pusher {
  readonly stats: PushStats = {
    requests: 0,
    concurrentPairs: 0,
    redeliveries: 0,
    noAnswer: 0,
    statuses: {},
    replayed: 0,
    acknowledged: new Set(),
  };
  private next = 0;

  constructor(private readonly instances: () => Instance[]) {}

  async push(plan: readonly Send[], options: PushOptions): Promise<void> {
    let cursor = 0;
    const halfway = Math.floor(plan.length / 2);
    let halfwayDone: Promise<void> = Promise.resolve();
    let failed = false;
    const worker = async () => {
      while (cursor < plan.length && !failed) {
        const index = cursor++;
        if (index === halfway && options.atHalfway) {
          halfwayDone = options.atHalfway();
          // A failure there stops the workers too; `await halfwayDone` below rethrows it.
          halfwayDone.catch(() => (failed = true));
        }
        const send = plan[index]!;
        if (send.concurrent) {
          this.stats.concurrentPairs += 1;
          const [first, second] = this.pickTwo();
          await Promise.all([
            this.deliver(send.message, first),
            this.deliver(send.message, second),
          ]);
        } else {
          await this.deliver(send.message, this.pick());
        }
      }
    };
    // The first failure stops every worker (no pushes into a run that already failed).
    const guarded = () =>
      worker().catch((error: unknown) => {
        failed = true;
        throw error;
      });
    await Promise.all(Array.from({ length: options.concurrency }, guarded));
    await halfwayDone;
  }

  private live(): Instance[] {
    const live = this.instances().filter((instance) => instance.alive());
    if (live.length === 0) throw new Error('no live instance left to push to');
    return live;
  }

  private pick(exclude?: Instance): Instance {
    const live = this.live();
    const candidates = live.length > 1 && exclude ? live.filter((i) => i !== exclude) : live;
    return candidates[this.next++ % candidates.length]!;
  }

  private pickTwo(): [Instance, Instance] {
    const first = this.pick();
    return [first, this.pick(first)];
  }

  /** Delivers until acknowledged (204), moving to another live instance after each failure. */
  private async deliver(message: WorkloadMessage, first: Instance): Promise<void> {
    let target = first;
    const failures: string[] = [];
    for (let attempt = 1; attempt <= MAX_DELIVERIES; attempt++) {
      if (attempt > 1) {
        this.stats.redeliveries += 1;
        target = this.pick(target);
      }
      const outcome = await this.post(target, message);
      if (outcome === 204) {
        this.stats.acknowledged.add(message.messageId);
        return;
      }
      if (typeof outcome === 'number' && outcome < 500) {
        throw new Error(
          `${message.path} ${message.messageId} on ${target.id} answered ${outcome}, expected 204`,
        );
      }
      failures.push(`${target.id}: ${outcome}`);
      // Pub/Sub backs off before redelivering; a short pause lets a conflict or a kill settle.
      await new Promise((resolve) => setTimeout(resolve, Math.min(20 * attempt, 200)));
    }
    throw new Error(
      `${message.messageId} not acknowledged after ${MAX_DELIVERIES} deliveries: ${failures.join('; ')}`,
    );
  }

  /** The status code, or why there was no answer. */
  private async post(target: Instance, message: WorkloadMessage): Promise<number | string> {
    this.stats.requests += 1;
    try {
      const response = await fetch(`${target.baseUrl}${message.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message.envelope),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (response.headers.get('idempotent-replayed') === 'true') this.stats.replayed += 1;
      this.stats.statuses[response.status] = (this.stats.statuses[response.status] ?? 0) + 1;
      return response.status;
    } catch (error) {
      // No answer (the instance was killed, or the connection reset): redelivered by the caller.
      this.stats.noAnswer += 1;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return `no answer (${cause ?? String(error)})`;
    }
  }
}
