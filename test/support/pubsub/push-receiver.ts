import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const MAX_PUSH_BODY_BYTES = 10 * 1024 * 1024;

/** One POST a push subscription made. */
export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (the wrapped envelope). */
  body: PushEnvelope;
  /** The status this receiver answered. */
  status: number;
}

/** The wrapped push envelope, as far as tests read it. */
export interface PushEnvelope {
  subscription: string;
  message: {
    data?: string;
    attributes?: Record<string, string>;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
    orderingKey?: string;
  };
  deliveryAttempt?: number;
}

/** Decides the HTTP status for a push (default 204); `index` counts every push received, from 0. */
export type PushResponder = (push: Omit<ReceivedPush, 'status'>, index: number) => number;

/** A real local HTTP server that push subscriptions deliver to; it records every request. */
export class PushReceiver {
  readonly received: ReceivedPush[] = [];
  /** Bodies that were not JSON (answered 400), with the parse error. */
  readonly malformed: string[] = [];
  private waiters: Array<() => void> = [];

  private readonly server: Server;
  private listenUrl = '';

  private constructor(private responder: PushResponder) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_PUSH_BODY_BYTES) chunks.push(chunk);
      });
      request.on('end', () => {
        response.statusCode = this.record(
          request.url ?? '',
          request.headers,
          Buffer.concat(chunks),
        );
        response.end();
      });
    });
  }

  static async start(responder: PushResponder = () => 204, path = '/push'): Promise<PushReceiver> {
    const receiver = new PushReceiver(responder);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.listenUrl = `http://127.0.0.1:${port}${path}`;
    return receiver;
  }

  /** The push endpoint to give the subscription. */
  get url(): string {
    return this.listenUrl;
  }

  respondWith(responder: PushResponder): void {
    this.responder = responder;
  }

  /** Resolves once `count` pushes (any status) arrived; fails after `timeoutMs` with what came. */
  async waitForCount(count: number, timeoutMs: number): Promise<ReceivedPush[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `push receiver ${this.url} got ${this.received.length} of ${count} pushes within ${timeoutMs} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private record(path: string, headers: IncomingHttpHeaders, raw: Buffer): number {
    let body: PushEnvelope;
    try {
      body = JSON.parse(raw.toString('utf8')) as PushEnvelope;
    } catch (error) {
      this.malformed.push(`${path}: ${String(error)}: ${raw.toString('utf8').slice(0, 200)}`);
      return 400;
    }
    const push = { path, headers, body };
    const status = this.responder(push, this.received.length);
    this.received.push({ ...push, status });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    return status;
  }
}
