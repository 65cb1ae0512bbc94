import { Injectable } from '@nestjs/common';

/** Set once shutdown begins; readiness answers 503 from then on. */
@Injectable()
export class ShutdownState {
  private since: Date | null = null;

  begin(at = new Date()): void {
    this.since ??= at;
  }

  get shuttingDown(): boolean {
    return this.since !== null;
  }
}
