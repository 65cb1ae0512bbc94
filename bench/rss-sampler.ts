/** Samples a process's RSS on an interval and keeps the peak per named phase. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private phase = 'start';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly read: () => number | null,
    everyMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Starts a new phase (sampling once at its start). */
  enter(phase: string): void {
    this.phase = phase;
    this.sample();
  }

  sample(): void {
    const rss = this.read();
    if (rss === null) return;
    this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, rss));
  }

  stop(): Map<string, number> {
    clearInterval(this.timer);
    this.sample();
    return this.peaks;
  }
}
