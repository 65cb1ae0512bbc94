import { open, type FileHandle } from 'node:fs/promises';

/** What to note at the start of a sync and to publish once it succeeded (e.g. the log's head). */
export interface DurableMark<T> {
  capture(): T;
  apply(captured: T): void;
}

/** The disk flush itself; tests hold it open to see what is readable meanwhile. */
export type FlushFile = (file: FileHandle) => Promise<void>;

const flushData: FlushFile = (file) => file.datasync();

/**
 * Makes committed WAL frames durable without stopping the process: transactions commit with
 * `synchronous = NORMAL` (no fsync inside COMMIT, which node:sqlite runs on the event loop) and
 * then await `sync()`, an `fdatasync` of the WAL file on libuv's thread pool. Every frame written
 * before a flush starts is durable when it ends, and the WAL is recovered as a prefix after a
 * power loss, so one flush covers every commit before it: callers that arrive while a flush runs
 * share the next one. SQLite deletes the WAL file only when the last connection closes, and the
 * connection that owns this object stays open while it is used, so the handle stays valid.
 */
export class WalSync {
  private file: Promise<FileHandle> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly marks: Array<DurableMark<unknown>> = [];

  constructor(
    readonly walPath: string,
    private readonly flush: FlushFile = flushData,
  ) {}

  /** `mark.capture()` runs as each flush starts; `mark.apply()` with its value once it succeeded. */
  track<T>(mark: DurableMark<T>): void {
    this.marks.push(mark as DurableMark<unknown>);
  }

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (!this.running) return this.start();
    // Frames committed now may have been written after the running flush began: wait for the next.
    this.queued ??= this.running
      .catch(() => undefined) // that flush's failure belongs to its own callers
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    const file = this.file;
    this.file = null;
    if (file) await (await file).close();
  }

  private start(): Promise<void> {
    const publish = this.marks.map((mark) => {
      const captured = mark.capture();
      return () => mark.apply(captured);
    });
    const run = this.handle()
      .then((file) => this.flush(file))
      .then(() => {
        for (const apply of publish) apply();
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }

  private handle(): Promise<FileHandle> {
    this.file ??= open(this.walPath, 'r');
    const file = this.file;
    // A failed open is tried again by the next flush.
    file.catch(() => {
      if (this.file === file) this.file = null;
    });
    return file;
  }
}
