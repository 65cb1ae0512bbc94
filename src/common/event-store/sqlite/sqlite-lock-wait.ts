import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError } from '../event-store.errors.js';
import type { AsyncMutex } from './async-mutex.js';

/** Thrown by a try that met another connection's lock before doing anything: safe to try again. */
export class LockBusy extends Error {
  constructor(readonly sqliteError: unknown) {
    super('the SQLite lock is held by another connection');
    this.name = 'LockBusy';
  }
}

export interface LockWaitTiming {
  /** TIMEOUT_STORE_BUSY_MS: from when the operation was asked for, queueing included. */
  busyTimeoutMs: number;
  /** TIMEOUT_STORE_BUSY_RETRY_MS. */
  retryMs: number;
}

type Outcome<T> = { done: true; value: T } | { done: false };

/**
 * Waits for the SQLite lock without holding the event loop: each try blocks at most the
 * connection's short busy_timeout; between tries the in-process mutex is free (reads and other
 * work go on) and the event loop runs. Writers share one probe: after a try met the lock, other
 * writers skip their try until the next pause is over, so a hundred waiting writers cost one
 * blocked slice per pause, not a hundred.
 */
export class LockWait {
  private writeLockBusyUntil = 0;

  constructor(
    private readonly mutex: AsyncMutex,
    private readonly timing: LockWaitTiming,
    private readonly describeFile: string,
  ) {}

  /** Runs `attempt` under the mutex until it does not throw LockBusy, for up to TIMEOUT_STORE_BUSY_MS from `askedAt`. */
  async run<T>(
    operation: string,
    kind: 'read' | 'write',
    askedAt: number,
    attempt: () => Promise<T> | T,
  ): Promise<T> {
    const deadline = askedAt + this.timing.busyTimeoutMs;
    for (;;) {
      const outcome = await this.mutex.run(() => this.tryOnce(kind, attempt));
      if (outcome.done) return outcome.value;
      if (performance.now() + this.timing.retryMs > deadline) {
        const waited = Math.round(performance.now() - askedAt);
        throw new StoreUnavailableError(
          operation,
          new Error(
            `${this.describeFile} stayed locked by another connection for ${waited} ms (TIMEOUT_STORE_BUSY_MS is ${this.timing.busyTimeoutMs}); ` +
              'if this lasts, find the process holding a transaction open on it (fuser/lsof)',
          ),
        );
      }
      await sleep(this.timing.retryMs);
    }
  }

  private async tryOnce<T>(
    kind: 'read' | 'write',
    attempt: () => Promise<T> | T,
  ): Promise<Outcome<T>> {
    const write = kind === 'write';
    if (write && performance.now() < this.writeLockBusyUntil) return { done: false };
    try {
      const value = await attempt();
      if (write) this.writeLockBusyUntil = 0;
      return { done: true, value };
    } catch (error) {
      if (!(error instanceof LockBusy)) throw error;
      if (write) this.writeLockBusyUntil = performance.now() + this.timing.retryMs;
      return { done: false };
    }
  }
}
