import { Injectable } from '@nestjs/common';

/** Set once shutdown begins; readiness answers 503 from then on. */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;
  private readonly listeners: Array<() => void> = [];

  begin(at = new Date()): void {
    if (this.since !== null) return;
    this.since = at;
    for (const listener of this.listeners) listener();
  }

  /** Runs `listener` when shutdown begins (the signal), before the drain: e.g. stop pulling. */
  onBegin(listener: () => void): void {
    this.listeners.push(listener);
  }

  get shuttingDown(): boolean {
    return this.since !== null;
  }
}
