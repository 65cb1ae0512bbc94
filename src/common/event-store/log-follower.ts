import { Logger } from '@nestjs/common';
import { errorMessage } from '../errors/error-message.js';
import type { EventLog, Position, ProjectionStore } from './index.js';
import { WakeSignal } from './wake-signal.js';

export type FollowerState = 'stopped' | 'catching_up' | 'running' | 'failed' | 'rebuilding';

export interface FollowerTiming {
  idlePollMs: number;
  /**
   * How often a follower persists a checkpoint that moved only past events it does not handle.
   * Such moves are kept in memory in between, so appends of other types cost it no write.
   */
  skipCheckpointIntervalMs: number;
  backoffMs(attempt: number): number;
}

/**
 * A loop that follows the log: catch up to the head, then sleep until an append in this process
 * (or the idle poll, for appends by other processes) and catch up again. A failure stops only this
 * follower, which retries with backoff and reports `failed` meanwhile.
 *
 * Progress is a stored checkpoint (moved with the follower's own writes) plus an in-memory
 * position that may run ahead of it past events of no interest. Restarting from the stored
 * checkpoint only re-reads events that are skipped again, so the lead never loses anything.
 */
export abstract class LogFollower {
  state: FollowerState = 'stopped';
  lastError: string | null = null;
  failedAttempts = 0;
  protected readonly logger: Logger;
  private readonly wake = new WakeSignal();
  private readonly stopped = new WakeSignal();
  private readonly progressListeners = new Set<(position: Position) => void>();
  private running = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  /** The stored checkpoint as last read or written; undefined when it must be read again. */
  private stored: Position | null | undefined = undefined;
  /** Everything up to here is handled: the stored checkpoint or beyond. */
  private passed: Position | null = null;
  private lastSkipPersistMs = Date.now();

  protected constructor(
    readonly name: string,
    readonly checkpointName: string,
    protected readonly events: EventLog,
    protected readonly checkpoints: ProjectionStore,
    protected readonly timing: FollowerTiming,
  ) {
    this.logger = new Logger(`${this.constructor.name}:${name}`);
  }

  /** Processes everything up to `head` and returns; throws to signal failure. */
  protected abstract catchUp(head: Position | null): Promise<void>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.forgetPosition(); // read the stored checkpoint afresh: it may have moved while stopped
    this.unsubscribe = this.events.onAppended(() => this.wake.notify());
    this.loop = this.run();
  }

  /**
   * Stops after the batch in progress has been committed, persisting any in-memory lead; then
   * forgets its position, so a stopped follower (lease lost: another instance runs it) reports the
   * stored checkpoint, which that instance moves.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake.notify();
    this.stopped.notify();
    await this.loop;
    this.loop = null;
    if (this.state !== 'failed') {
      await this.persistLead().catch((error: unknown) =>
        this.logger.warn(
          `${this.name}: could not persist its position on stop (it re-reads a few events on start): ${errorMessage(error)}`,
        ),
      );
      this.state = 'stopped';
    }
    this.forgetPosition();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Nudges the loop to look for new events now. */
  poke(): void {
    this.wake.notify();
  }

  /** Called whenever the follower's position moves (committed or skipped ahead). */
  onProgress(listener: (position: Position) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /**
   * Where the follower stands: its in-memory position once it has read the stored one (it may
   * run ahead of it), else the stored checkpoint.
   */
  async position(): Promise<Position | null> {
    if (this.stored !== undefined) return this.passed;
    return this.checkpoints.checkpoint(this.checkpointName);
  }

  /** Where to read from next: the stored checkpoint (read once) or the in-memory lead. */
  protected async resumePosition(): Promise<Position | null> {
    if (this.stored === undefined) {
      this.stored = await this.checkpoints.checkpoint(this.checkpointName);
      this.passed = this.stored;
    }
    return this.passed;
  }

  /** Commits `apply` with the checkpoint moved to `next`, in one transaction. */
  protected async commitThrough(
    next: Position,
    apply: Parameters<ProjectionStore['commit']>[3] = async () => {},
  ): Promise<void> {
    await this.checkpoints.commit(this.checkpointName, this.storedCheckpoint(), next, apply);
    this.recordStored(next);
  }

  /** The caller moved the checkpoint to `next` in a transaction of its own. */
  protected recordStored(next: Position): void {
    this.stored = next;
    this.advance(next);
  }

  /** Nothing of interest up to `next`: move on in memory, persisting only now and then. */
  protected async skipTo(next: Position): Promise<void> {
    this.advance(next);
    const nowMs = Date.now();
    if (nowMs - this.lastSkipPersistMs >= this.timing.skipCheckpointIntervalMs) {
      this.lastSkipPersistMs = nowMs;
      await this.persistLead();
    }
  }

  protected storedCheckpoint(): Position | null {
    if (this.stored === undefined) {
      throw new Error(`${this.name}: resumePosition() must be called before committing`);
    }
    return this.stored;
  }

  private advance(position: Position): void {
    this.passed = position;
    for (const listener of this.progressListeners) listener(position);
  }

  /**
   * Caught up: persist a lead gained by skipping, at most every skipCheckpointIntervalMs, so the
   * stored checkpoint (what other instances and a restart see) does not stay behind while idle.
   */
  private async persistIdleLead(): Promise<void> {
    const nowMs = Date.now();
    if (nowMs - this.lastSkipPersistMs < this.timing.skipCheckpointIntervalMs) return;
    this.lastSkipPersistMs = nowMs;
    await this.persistLead();
  }

  private async persistLead(): Promise<void> {
    if (this.stored === undefined || this.passed === null || this.passed === this.stored) return;
    await this.commitThrough(this.passed);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.state !== 'running') this.state = 'catching_up';
        await this.catchUp(await this.events.head());
        await this.persistIdleLead();
        this.state = 'running';
        this.lastError = null;
        this.failedAttempts = 0;
        await this.wake.wait(this.timing.idlePollMs);
      } catch (error) {
        // Another process may have moved the stored checkpoint: read it again before retrying.
        this.stored = undefined;
        this.failedAttempts += 1;
        this.state = 'failed';
        this.lastError = errorMessage(error);
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

  /** Forgets the cached checkpoint (after a reset of the stored one). */
  protected forgetPosition(): void {
    this.stored = undefined;
    this.passed = null;
  }
}
