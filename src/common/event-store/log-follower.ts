import { Logger } from '@nestjs/common';
import { describe } from './event-store.errors.js';
import type { EventLog, Position } from './index.js';
import { WakeSignal } from './wake-signal.js';

export type FollowerState = 'stopped' | 'catching_up' | 'running' | 'failed' | 'rebuilding';

export interface FollowerTiming {
  idlePollMs: number;
  backoffMs(attempt: number): number;
}

/**
 * A loop that follows the log: catch up to the head, then sleep until an append in this process
 * (or the idle poll, for appends by other processes) and catch up again. A failure stops only this
 * follower, which retries with backoff and reports `failed` meanwhile.
 */
export abstract class LogFollower {
  state: FollowerState = 'stopped';
  lastError: string | null = null;
  failedAttempts = 0;
  protected readonly logger: Logger;
  private readonly wake = new WakeSignal();
  private readonly stopped = new WakeSignal();
  private running = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;

  protected constructor(
    readonly name: string,
    protected readonly events: EventLog,
    protected readonly timing: FollowerTiming,
  ) {
    this.logger = new Logger(`${this.constructor.name}:${name}`);
  }

  /** Processes everything up to `head` and returns; throws to signal failure. */
  protected abstract catchUp(head: Position | null): Promise<void>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.events.onAppended(() => this.wake.notify());
    this.loop = this.run();
  }

  /** Stops after the batch in progress has been committed. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake.notify();
    this.stopped.notify();
    await this.loop;
    this.loop = null;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Nudges the loop to look for new events now. */
  poke(): void {
    this.wake.notify();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.state !== 'running') this.state = 'catching_up';
        await this.catchUp(await this.events.head());
        this.state = 'running';
        this.lastError = null;
        this.failedAttempts = 0;
        await this.wake.wait(this.timing.idlePollMs);
      } catch (error) {
        this.failedAttempts += 1;
        this.state = 'failed';
        this.lastError = describe(error);
        const delayMs = this.timing.backoffMs(this.failedAttempts);
        this.logger.error(
          `${this.name} failed (attempt ${this.failedAttempts}), retrying in ${delayMs} ms: ${this.lastError}`,
        );
        // Appends do not cut a backoff short (that would spin on a poison event); stop() does.
        await this.stopped.wait(delayMs);
      }
    }
  }

  protected get shouldContinue(): boolean {
    return this.running;
  }
}
