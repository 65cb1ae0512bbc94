import { invalidArgument } from './errors.js';
import type { PubsubMessageWire, ReceivedMessageWire, SubscriptionWire } from './wire-types.js';

/** Who is told when the queue changes: pulls waiting, StreamingPull streams, the push loop. */
export interface QueueListener {
  /** Something may be deliverable now (a publish, a nack, an expired lease, an ack unblocking a key). */
  available(): void;
  /** The subscription was deleted (or the fake reset / stopped). */
  closed(): void;
}

export interface TakeLimits {
  maxMessages: number;
  /** 0 = no byte limit. */
  maxBytes: number;
  leaseMs: number;
}

/** Hands a message whose delivery attempts are used up to the dead-letter topic; false if it cannot. */
export type DeadLetterForwarder = (message: PubsubMessageWire, attempts: number) => boolean;

interface Entry {
  message: PubsubMessageWire;
  attempts: number;
  lease: { ackId: string; expiresAt: number } | undefined;
  /** Only kept on ordered subscriptions, while an earlier message of the key is unacked. */
  acked: boolean;
}

/**
 * One subscription's messages and leases, with the emulator's redelivery rules:
 * - delivery in queue order (publish order; a nacked or expired message moves to the back);
 * - ordered subscriptions hold a non-empty ordering key back while any of its messages is leased,
 *   and a nack moves the message with the rest of its key to the back, so the key stays in order;
 * - on ordered subscriptions an expired lease redelivers the message and every later message of
 *   its key (the empty key included), acked or not, as the emulator does;
 * - delivery attempts count up; past the dead-letter policy's maximum a message moves to the
 *   dead-letter topic.
 * Time is `Date.now()`; a timer wakes the listeners when the earliest lease expires.
 */
export class SubscriptionQueue {
  private readonly entries = new Map<number, Entry>();
  private readonly leases = new Map<string, number>();
  private readonly listeners = new Set<QueueListener>();
  private nextSequence = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiryAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(
    readonly config: SubscriptionWire,
    private readonly nextAckNumber: () => number,
    private readonly forwardToDeadLetter: DeadLetterForwarder,
  ) {}

  get name(): string {
    return this.config.name;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private get ordered(): boolean {
    return this.config.enableMessageOrdering;
  }

  enqueue(message: PubsubMessageWire): void {
    if (this.closed) return;
    this.append({ message, attempts: 0, lease: undefined, acked: false });
    this.notifyAvailable();
  }

  /** Leases and returns up to the limits of what is deliverable now. */
  take(limits: TakeLimits): ReceivedMessageWire[] {
    if (this.closed) return [];
    const now = Date.now();
    this.expireLeases(now);
    const heldKeys = new Set<string>();
    if (this.ordered) {
      for (const entry of this.entries.values()) {
        if (entry.lease && entry.message.orderingKey) heldKeys.add(entry.message.orderingKey);
      }
    }
    const deadLetter = this.config.deadLetterPolicy;
    const taken: ReceivedMessageWire[] = [];
    let bytes = 0;
    for (const [sequence, entry] of this.entries) {
      if (taken.length >= limits.maxMessages) break;
      if (entry.lease || entry.acked || heldKeys.has(entry.message.orderingKey)) continue;
      const size = entry.message.data.length;
      if (limits.maxBytes > 0 && taken.length > 0 && bytes + size > limits.maxBytes) break;
      bytes += size;
      entry.attempts += 1;
      const ackId = `${this.config.name}:${this.nextAckNumber()}`;
      entry.lease = { ackId, expiresAt: now + limits.leaseMs };
      this.leases.set(ackId, sequence);
      this.scheduleExpiry(entry.lease.expiresAt);
      taken.push({
        ackId,
        message: entry.message,
        deliveryAttempt: deadLetter ? entry.attempts : 0,
      });
    }
    return taken;
  }

  /** Acks; returns the well-formed ids that were no longer leased (acked, nacked or expired). */
  acknowledge(ackIds: string[]): string[] {
    this.checkAckIds(ackIds);
    this.expireLeases(Date.now());
    const stale: string[] = [];
    for (const ackId of ackIds) {
      const sequence = this.leases.get(ackId);
      const entry = sequence === undefined ? undefined : this.entries.get(sequence);
      if (sequence === undefined || !entry) {
        stale.push(ackId);
        continue;
      }
      this.leases.delete(ackId);
      entry.lease = undefined;
      if (this.ordered) entry.acked = true;
      else this.entries.delete(sequence);
    }
    this.pruneAcked();
    if (ackIds.length > stale.length) this.notifyAvailable();
    return stale;
  }

  /** Moves the deadlines of leased messages; 0 is a nack. Returns the ids no longer leased. */
  modifyAckDeadline(ackIds: string[], ackDeadlineSeconds: number): string[] {
    if (ackDeadlineSeconds < 0) throw invalidArgument('Ack deadline cannot be negative');
    this.checkAckIds(ackIds);
    return this.extendLeases(ackIds, ackDeadlineSeconds * 1000);
  }

  /** Like modifyAckDeadline, in milliseconds (the push loop's retry backoff). */
  extendLeases(ackIds: string[], leaseMs: number): string[] {
    const now = Date.now();
    this.expireLeases(now);
    const stale: string[] = [];
    let released = false;
    for (const ackId of ackIds) {
      const sequence = this.leases.get(ackId);
      const entry = sequence === undefined ? undefined : this.entries.get(sequence);
      if (sequence === undefined || !entry?.lease) {
        stale.push(ackId);
        continue;
      }
      if (leaseMs > 0) {
        entry.lease.expiresAt = now + leaseMs;
        this.scheduleExpiry(entry.lease.expiresAt);
        continue;
      }
      const keyed = this.ordered && entry.message.orderingKey !== '';
      this.moveToBack(keyed ? this.restOfKey(sequence) : [sequence], false);
      released = true;
    }
    if (released) {
      this.pruneAcked();
      this.notifyAvailable();
    }
    return stale;
  }

  isLeased(ackId: string): boolean {
    const sequence = this.leases.get(ackId);
    const lease = sequence === undefined ? undefined : this.entries.get(sequence)?.lease;
    return lease !== undefined && lease.expiresAt > Date.now();
  }

  listen(listener: QueueListener): () => void {
    if (this.closed) {
      listener.closed();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiryTimer);
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener.closed();
  }

  private append(entry: Entry): number {
    const sequence = this.nextSequence++;
    this.entries.set(sequence, entry);
    if (entry.lease) this.leases.set(entry.lease.ackId, sequence);
    return sequence;
  }

  /** The entry at `sequence` and every later entry with the same ordering key, in queue order. */
  private restOfKey(sequence: number): number[] {
    const key = this.entries.get(sequence)?.message.orderingKey;
    return [...this.entries.keys()].filter(
      (other) => other >= sequence && this.entries.get(other)?.message.orderingKey === key,
    );
  }

  /**
   * Moves entries to the back of the queue, in the given order, without their leases;
   * `redeliverAcked` also brings back acked ones. Messages out of attempts go to the dead letter.
   */
  private moveToBack(sequences: number[], redeliverAcked: boolean): void {
    const maxAttempts = this.config.deadLetterPolicy?.maxDeliveryAttempts ?? 0;
    for (const sequence of sequences) {
      const entry = this.entries.get(sequence);
      if (!entry) continue;
      this.entries.delete(sequence);
      if (entry.lease) this.leases.delete(entry.lease.ackId);
      entry.lease = undefined;
      if (entry.acked && !redeliverAcked) {
        this.append(entry);
        continue;
      }
      entry.acked = false;
      const deadLettered =
        maxAttempts > 0 &&
        entry.attempts >= maxAttempts &&
        this.forwardToDeadLetter(entry.message, entry.attempts);
      if (!deadLettered) this.append(entry);
    }
  }

  /** Forgets acked entries that no earlier unacked entry of their key could bring back. */
  private pruneAcked(): void {
    if (!this.ordered) return;
    const keysWithUnacked = new Set<string>();
    for (const [sequence, entry] of this.entries) {
      if (!entry.acked) keysWithUnacked.add(entry.message.orderingKey);
      else if (!keysWithUnacked.has(entry.message.orderingKey)) this.entries.delete(sequence);
    }
  }

  private checkAckIds(ackIds: string[]): void {
    for (const ackId of ackIds) {
      const match = /^(.*):(\d+)$/.exec(ackId);
      if (!match) throw invalidArgument(`Invalid ack id (ack_id=${ackId})`);
      if (match[1] !== this.config.name) {
        throw invalidArgument(
          `Subscription ${this.config.name} received an invalid ack ID ${ackId}, meant for subscription: ${match[1]}`,
        );
      }
    }
  }

  /** Expired leases: on ordered subscriptions the rest of the key comes back too (acked or not). */
  private expireLeases(now: number): boolean {
    const expired = [...this.leases.values()]
      .filter((sequence) => (this.entries.get(sequence)?.lease?.expiresAt ?? 0) <= now)
      .sort((a, b) => a - b);
    for (const sequence of expired) {
      if (!this.entries.get(sequence)?.lease) continue;
      this.moveToBack(this.ordered ? this.restOfKey(sequence) : [sequence], true);
    }
    if (expired.length > 0) this.pruneAcked();
    return expired.length > 0;
  }

  private scheduleExpiry(at: number): void {
    if (this.closed || at >= this.expiryAt) return;
    clearTimeout(this.expiryTimer);
    this.expiryAt = at;
    this.expiryTimer = setTimeout(() => this.onExpiryTimer(), Math.max(0, at - Date.now()));
    this.expiryTimer.unref();
  }

  private onExpiryTimer(): void {
    this.expiryTimer = undefined;
    this.expiryAt = Number.POSITIVE_INFINITY;
    this.expireLeases(Date.now());
    let next = Number.POSITIVE_INFINITY;
    for (const sequence of this.leases.values()) {
      next = Math.min(next, this.entries.get(sequence)?.lease?.expiresAt ?? next);
    }
    if (next !== Number.POSITIVE_INFINITY) this.scheduleExpiry(next);
    this.notifyAvailable();
  }

  private notifyAvailable(): void {
    for (const listener of [...this.listeners]) listener.available();
  }
}
