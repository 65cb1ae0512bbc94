import type { TimestampWire } from './wire-types.js';

/**
 * The fake's time, in microseconds since the epoch (Firestore's precision). Every commit gets a
 * time later than every read time already handed out, so a read at time t never misses a commit
 * that later claims a time <= t.
 */
export class FakeClock {
  private last = 0;

  readTime(): number {
    this.last = Math.max(this.last, Date.now() * 1000);
    return this.last;
  }

  commitTime(): number {
    this.last = Math.max(this.last + 1, Date.now() * 1000);
    return this.last;
  }
}

export function toTimestamp(micros: number): TimestampWire {
  return { seconds: String(Math.floor(micros / 1e6)), nanos: (micros % 1e6) * 1000 };
}

export function toMicros(timestamp: TimestampWire): number {
  return Number(timestamp.seconds) * 1e6 + Math.floor(timestamp.nanos / 1000);
}
