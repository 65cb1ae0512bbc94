/**
 * The last write the store refused for a reason retrying will not fix soon (read-only or full
 * disk, I/O error), until a durable write succeeds again: what `Storage.condition().writeFailure`
 * reports.
 */
export class WriteHealth {
  private lastFailure: string | null = null;

  get failure(): string | null {
    return this.lastFailure;
  }

  recordFailure(message: string): void {
    this.lastFailure = message;
  }

  recordDurableWrite(): void {
    this.lastFailure = null;
  }
}
