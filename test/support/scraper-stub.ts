import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How one scraper of the stub answers. Sequences are consumed one call at a time. */
export interface ScraperBehaviour {
  /** Delay before answering, in ms; a list gives each call its own (the last one repeats). */
  delayMs?: number | number[];
  /** HTTP status of each call in turn; once used up, `thenStatus`. */
  statuses?: number[];
  /** Status after `statuses` (default 200). */
  thenStatus?: number;
  /** rowCount of a 2xx answer (default 10). */
  rowCount?: number;
}

export interface StubRequest {
  scraper: string;
  workflow: string;
  source: string;
  inputs?: Record<string, Record<string, unknown>>;
  /** Arrival order across all scrapers, from 1. */
  seq: number;
  /** Arrival time (Date.now of the stub). */
  arrivedAtMs: number;
}

/**
 * A real local HTTP scraper service (node:http on port 0) for tests and simulations:
 * `POST /scrape` with `{scraper, workflow, source}` answers as programmed per scraper, and the
 * stub records arrival order, calls per scraper and the peak number of requests in flight.
 */
export class ScraperStub {
  readonly requests: StubRequest[] = [];
  private readonly behaviours = new Map<string, ScraperBehaviour>();
  private readonly callCounts = new Map<string, number>();
  private inFlightNow = 0;
  private peak = 0;
  private readonly peakByWorkflow = new Map<string, number>();
  private readonly inFlightByWorkflow = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ScraperStub> {
    let stub: ScraperStub | null = null;
    const server = createServer((req, res) => void stub!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    stub = new ScraperStub(server, `http://127.0.0.1:${port}`);
    return stub;
  }

  /** Programs one scraper (replaces its earlier behaviour and restarts its sequences). */
  program(scraper: string, behaviour: ScraperBehaviour): this {
    this.behaviours.set(scraper, behaviour);
    this.callCounts.set(scraper, 0);
    return this;
  }

  calls(scraper: string): number {
    return this.requests.filter((r) => r.scraper === scraper).length;
  }

  requestsOf(scraper: string): StubRequest[] {
    return this.requests.filter((r) => r.scraper === scraper);
  }

  get peakConcurrency(): number {
    return this.peak;
  }

  get inFlight(): number {
    return this.inFlightNow;
  }

  peakConcurrencyOf(workflow: string): number {
    return this.peakByWorkflow.get(workflow) ?? 0;
  }

  /** Forgets recorded requests and peaks (behaviours stay). */
  resetStats(): void {
    this.requests.length = 0;
    this.peak = this.inFlightNow;
    this.peakByWorkflow.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/scrape') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route ${req.method} ${req.url}` }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as Omit<StubRequest, 'seq' | 'arrivedAtMs'>;
    this.requests.push({ ...body, seq: this.requests.length + 1, arrivedAtMs: Date.now() });
    const workflowInFlight = (this.inFlightByWorkflow.get(body.workflow) ?? 0) + 1;
    this.inFlightByWorkflow.set(body.workflow, workflowInFlight);
    this.peakByWorkflow.set(
      body.workflow,
      Math.max(this.peakByWorkflow.get(body.workflow) ?? 0, workflowInFlight),
    );
    this.inFlightNow += 1;
    this.peak = Math.max(this.peak, this.inFlightNow);

    const behaviour = this.behaviours.get(body.scraper) ?? {};
    const index = this.callCounts.get(body.scraper) ?? 0;
    this.callCounts.set(body.scraper, index + 1);
    const delays = behaviour.delayMs ?? 0;
    const delay = Array.isArray(delays)
      ? (delays[Math.min(index, delays.length - 1)] ?? 0)
      : delays;
    const status = behaviour.statuses?.[index] ?? behaviour.thenStatus ?? 200;

    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      this.inFlightNow -= 1;
      this.inFlightByWorkflow.set(body.workflow, this.inFlightByWorkflow.get(body.workflow)! - 1);
    };
    const timer = setTimeout(() => {
      const payload =
        status >= 200 && status < 300
          ? {
              status: 'success',
              data_summary: {
                rowCount: behaviour.rowCount ?? 10,
                scraper: body.scraper,
                call: index + 1,
              },
            }
          : { error: `stub: ${body.scraper} answers ${status} on call ${index + 1}` };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
      done();
    }, delay);
    // The client gave up (its timeout or abort): the request no longer counts as in flight.
    res.on('close', () => {
      clearTimeout(timer);
      done();
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
