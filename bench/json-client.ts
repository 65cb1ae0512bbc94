import { Agent, request } from 'node:http';

export interface JsonAnswer<T = unknown> {
  status: number;
  body: T;
  /** Round trip in milliseconds, body read included. */
  ms: number;
}

/** A keep-alive JSON client over node:http (one connection reused: read latency, not connect time). */
export class JsonClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly baseUrl: string) {}

  get<T = unknown>(path: string): Promise<JsonAnswer<T>> {
    return this.send<T>('GET', path);
  }

  post<T = unknown>(path: string, body: unknown): Promise<JsonAnswer<T>> {
    return this.send<T>('POST', path, JSON.stringify(body));
  }

  close(): void {
    this.agent.destroy();
  }

  private send<T>(method: string, path: string, body?: string): Promise<JsonAnswer<T>> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: body
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if (text && (res.headers['content-type'] ?? '').includes('json')) {
              parsed = JSON.parse(text);
            }
            resolve({
              status: res.statusCode ?? 0,
              body: parsed as T,
              ms: performance.now() - started,
            });
          });
        },
      );
      req.on('error', (error) =>
        reject(new Error(`${method} ${path}: ${error.message}`, { cause: error })),
      );
      req.end(body);
    });
  }
}

/** Polls `check` every `everyMs` until it returns true; throws after `limitMs`. */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean>,
  limitMs: number,
  everyMs = 50,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs)
      throw new Error(`${what}: not reached within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
