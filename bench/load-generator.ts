// A load generator run as its own process, so it never shares an event loop with the server it
// measures. `node .bench-dist/bench/load-generator.js '<json LoadPlan>'` sends `warmup` then
// `requests` POSTs of distinct push envelopes over `connections` keep-alive connections and prints
// one JSON LoadReport on stdout: requests/s and latency percentiles of the measured requests.
import { Agent, request } from 'node:http';
import { completionEnvelope, type CompletionLoad } from './completion-envelopes.js';
import { latencyStats, type LatencyStats } from './latency-stats.js';

export interface LoadPlan {
  url: string;
  /** POST (default) sends the envelopes; GET sends no body. */
  method?: 'GET' | 'POST';
  connections: number;
  requests: number;
  warmup: number;
  load: CompletionLoad;
}

export interface LoadReport {
  requests: number;
  seconds: number;
  rate: number;
  latency: LatencyStats;
  /** Answers by HTTP status, measured requests only. */
  statuses: Record<string, number>;
  errors: number;
  firstError: string | null;
}

function send(agent: Agent, url: URL, body: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      body === null
        ? { method: 'GET', agent }
        : {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

async function drive(
  agent: Agent,
  url: URL,
  bodies: ReadonlyArray<string | null>,
  connections: number,
): Promise<Omit<LoadReport, 'rate'>> {
  const latencies = new Float64Array(bodies.length);
  const statuses: Record<string, number> = {};
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const index = next++;
      const started = performance.now();
      try {
        const status = await send(agent, url, bodies[index]!);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      latencies[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: bodies.length,
    seconds,
    latency: latencyStats(Array.from(latencies)),
    statuses,
    errors,
    firstError,
  };
}

const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan;
const url = new URL(plan.url);
const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
const bodyless = plan.method === 'GET';
const warm = Array.from({ length: plan.warmup }, (_, n) =>
  bodyless ? null : completionEnvelope({ ...plan.load, prefix: `${plan.load.prefix}w` }, n),
);
const measured = Array.from({ length: plan.requests }, (_, n) =>
  bodyless ? null : completionEnvelope(plan.load, n),
);
await drive(agent, url, warm, plan.connections);
const result = await drive(agent, url, measured, plan.connections);
const report: LoadReport = { ...result, rate: result.requests / result.seconds };
agent.destroy();
process.stdout.write(`${JSON.stringify(report)}\n`);
