import { Injectable } from '@nestjs/common';

const WINDOW = 1000;

/** Request count and recent latencies for `GET /health` (a sliding window of the last 1,000 requests). */
@Injectable()
export class RequestStats {
  private readonly latenciesMs: number[] = [];
  private next = 0;
  requestCount = 0;
  lastRequestAt: string | null = null;

  record(latencyMs: number, at: Date): void {
    this.requestCount += 1;
    this.lastRequestAt = at.toISOString();
    if (this.latenciesMs.length < WINDOW) this.latenciesMs.push(latencyMs);
    else this.latenciesMs[this.next] = latencyMs;
    this.next = (this.next + 1) % WINDOW;
  }

  averageMs(): number {
    if (this.latenciesMs.length === 0) return 0;
    return round(this.latenciesMs.reduce((a, b) => a + b, 0) / this.latenciesMs.length);
  }

  percentileMs(p: number): number {
    if (this.latenciesMs.length === 0) return 0;
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
