import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './timing.js';

/** What the Emmett worker process can be asked to do; each answer is one Measurement. */
export type EmmettRequest =
  | { command: 'open'; url: string }
  | { command: 'singles'; first: number; count: number }
  | { command: 'concurrent'; callers: number; perCaller: number }
  | { command: 'batches'; batches: number; size: number }
  | { command: 'fill'; total: number }
  | { command: 'analyze' }
  | { command: 'read'; batchSize: number }
  | { command: 'pull'; batchSize: number }
  | { command: 'close' };

export type EmmettReply =
  { id: number; ok: true; measurement: Measurement } | { id: number; ok: false; error: string };

const WORKER = fileURLToPath(new URL('./emmett-worker.js', import.meta.url));

/**
 * Emmett in its own process: its driver layer (dumbo) replaces `pg`'s global type parsers (int8 as
 * BigInt, JSON through a reviver), which would also slow down every read of ours in a shared process.
 * Timings are taken inside the worker, around the work only; the message round trip is not counted.
 */
export class EmmettSide {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (m: Measurement) => void; reject: (e: Error) => void; request: EmmettRequest }
  >();
  private exitError: Error | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: EmmettReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.measurement);
      else
        waiting.reject(
          new Error(`Emmett worker failed on ${waiting.request.command}: ${reply.error}`),
        );
    });
    child.on('exit', (code, signal) => {
      this.exitError = new Error(`Emmett worker exited (${code ?? signal})`);
      for (const waiting of this.pending.values()) waiting.reject(this.exitError);
      this.pending.clear();
    });
  }

  static start(): EmmettSide {
    return new EmmettSide(fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  request(request: EmmettRequest): Promise<Measurement> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, request });
      this.child.send({ id, ...request });
    });
  }

  /** Opens Emmett's store on `url` (a fresh database) and migrates it. */
  async open(url: string): Promise<void> {
    await this.request({ command: 'open', url });
  }

  async stop(): Promise<void> {
    if (this.exitError) return;
    await this.request({ command: 'close' });
    this.child.disconnect();
  }
}
