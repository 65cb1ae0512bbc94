// Push ingestion over real HTTP with idempotency on, beside a bare node:http server answering 204
// to the same requests; the load comes from a separate process (load-generator.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { makeTempDir } from '../test/support/temp-dir.js';
import type { BenchOptions } from './bench-options.js';
import { startChild, type RunningChild } from './child-process.js';
import { JsonClient, pollUntil } from './json-client.js';
import { ms } from './latency-stats.js';
import type { LoadPlan, LoadReport } from './load-generator.js';
import {
  BARE_SERVER_ENTRY,
  LOAD_GENERATOR_ENTRY,
  mib,
  startService,
} from './service-under-bench.js';

const PUSH_PATH = '/v1/push/prediction-completions';
/** A route that does no work: the ceiling of the service's HTTP stack (Express, Nest, logging, metrics). */
const STACK_ONLY_PATH = '/health/live';
const SUBSCRIPTION = 'projects/nba-props-platform/subscriptions/shotclock-bench';
/** Issue #16's targets, each a ratio to the bare server measured in the same run. */
const TARGET = { pushRate: 0.5, stackRate: 0.8, pushP99: 2 };

interface MeasuredLoad extends LoadReport {
  /** The server's CPU per request (warm-up included), user and system, in microseconds. */
  cpuUs: { user: number; system: number } | null;
}

/** Runs a load against `server` and reads the server's CPU time around it. */
const measure = async (server: RunningChild, plan: LoadPlan): Promise<MeasuredLoad> => {
  const before = server.cpuSeconds();
  const report = await runLoad(plan);
  const after = server.cpuSeconds();
  const perRequest = (seconds: number) => (seconds * 1e6) / (plan.requests + plan.warmup);
  return {
    ...report,
    cpuUs:
      before && after
        ? {
            user: perRequest(after.user - before.user),
            system: perRequest(after.system - before.system),
          }
        : null,
  };
};

const runLoad = async (plan: LoadPlan): Promise<LoadReport> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [LOAD_GENERATOR_ENTRY, JSON.stringify(plan)],
    { maxBuffer: 16 * 2 ** 20 },
  );
  return JSON.parse(stdout) as LoadReport;
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function ingestionSuite(options: BenchOptions): Promise<void> {
  const rounds = options.quick ? 1 : 3;
  const connections = Number(options.value('connections', '16'));
  const requests = Number(options.value('requests', options.quick ? '2000' : '10000'));
  const warmup = options.quick ? 500 : 1000;
  const synchronous = options.synchronous;
  const dir = makeTempDir('shotclock-bench-ingestion-');
  let service: RunningChild | undefined;
  let bare: RunningChild | undefined;
  try {
    console.error(
      `ingestion: synchronous=${synchronous}, ${rounds} round(s), ${requests} requests (+${warmup} warm-up) over ${connections} connections`,
    );
    service = await startService(dir.path, synchronous);
    bare = await startChild(BARE_SERVER_ENTRY, {}, '/');
    const client = new JsonClient(service.baseUrl);
    const ours: MeasuredLoad[] = [];
    const baseline: MeasuredLoad[] = [];
    const stackOnly: MeasuredLoad[] = [];
    for (let round = 1; round <= rounds; round++) {
      const gameDate = `2026-03-${String(round).padStart(2, '0')}`;
      const batchId = `batch_${gameDate}_ingestion`;
      const created = await client.post(`/v1/batches`, {
        batch_id: batchId,
        game_date: gameDate,
        expected_count: warmup + requests,
      });
      if (created.status !== 201) {
        throw new Error(
          `POST /v1/batches answered ${created.status}: ${JSON.stringify(created.body)}`,
        );
      }
      const plan = (url: string, path = PUSH_PATH): LoadPlan => ({
        url: `${url}${path}`,
        method: path === PUSH_PATH ? 'POST' : 'GET',
        connections,
        requests,
        warmup,
        load: { batchId, gameDate, prefix: `r${round}`, subscription: SUBSCRIPTION },
      });
      const runOurs = async () => ours.push(await measure(service!, plan(service!.baseUrl)));
      const runBare = async () => baseline.push(await measure(bare!, plan(bare!.baseUrl)));
      stackOnly.push(await measure(service, plan(service.baseUrl, STACK_ONLY_PATH)));
      // Alternate which side goes first, so warm-up and disk state favour neither.
      if (round % 2 === 1) {
        await runBare();
        await runOurs();
      } else {
        await runOurs();
        await runBare();
      }
      const report = ours.at(-1)!;
      console.error(
        `round ${round}: Shotclock ${report.rate.toFixed(0)}/s ${JSON.stringify(report.statuses)}, bare ${baseline.at(-1)!.rate.toFixed(0)}/s, stack only ${stackOnly.at(-1)!.rate.toFixed(0)}/s`,
      );
      if ((report.statuses['204'] ?? 0) !== requests || report.errors > 0) {
        throw new Error(
          `round ${round}: expected ${requests} answers 204, got ${JSON.stringify(report.statuses)} and ${report.errors} errors (${report.firstError})`,
        );
      }
      // Every answered message must have its effect: the batch counts each distinct player once.
      await pollUntil(
        `batch ${batchId} counting ${warmup + requests} completions`,
        async () => {
          const batch = await client.get<{ completed_count?: number }>(`/v1/batches/${batchId}`);
          return batch.body.completed_count === warmup + requests;
        },
        120_000,
      );
    }
    client.close();

    const rate = (reports: MeasuredLoad[]) => median(reports.map((r) => r.rate));
    const p = (reports: MeasuredLoad[], key: 'p50' | 'p99') =>
      median(reports.map((r) => r.latency[key]));
    const cpu = (reports: MeasuredLoad[]) => {
      const measured = reports.flatMap((r) => (r.cpuUs ? [r.cpuUs] : []));
      if (measured.length === 0) return 'n/a';
      const user = median(measured.map((c) => c.user));
      const system = median(measured.map((c) => c.system));
      return `${user.toFixed(0)} + ${system.toFixed(0)} µs`;
    };
    const ratio = rate(ours) / rate(baseline);
    const stackRatio = rate(stackOnly) / rate(baseline);
    const p99Ratio = p(ours, 'p99') / p(baseline, 'p99');
    const verdict = (met: boolean) => (met ? 'met' : 'not met');
    const format = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `| push ingestion (synchronous=${synchronous}, ${connections} connections, ${requests} requests, median of ${rounds}) | Shotclock | bare node:http | ratio | target | Shotclock's HTTP stack alone (GET /health/live) |`,
    );
    console.log('|---|---:|---:|---:|---|---:|');
    console.log(
      `| requests/s | ${format(rate(ours))} | ${format(rate(baseline))} | ${ratio.toFixed(2)} | >= ${TARGET.pushRate}: ${verdict(ratio >= TARGET.pushRate)} | ${format(rate(stackOnly))} (${stackRatio.toFixed(2)} of bare; >= ${TARGET.stackRate}: ${verdict(stackRatio >= TARGET.stackRate)}) |`,
    );
    console.log(
      `| latency p50 | ${ms(p(ours, 'p50'))} | ${ms(p(baseline, 'p50'))} | | | ${ms(p(stackOnly, 'p50'))} |`,
    );
    console.log(
      `| latency p99 | ${ms(p(ours, 'p99'))} | ${ms(p(baseline, 'p99'))} | ${p99Ratio.toFixed(2)}x | <= ${TARGET.pushP99}x: ${verdict(p99Ratio <= TARGET.pushP99)} | ${ms(p(stackOnly, 'p99'))} |`,
    );
    console.log(
      `| server CPU per request (user + system) | ${cpu(ours)} | ${cpu(baseline)} | | | ${cpu(stackOnly)} |`,
    );
    console.log(
      `| peak RSS of the server process | ${mib(service.peakRssBytes())} | ${mib(bare.peakRssBytes())} | | | |`,
    );
  } catch (error) {
    console.error(`service output (tail):\n${service?.output().slice(-4000) ?? '(not started)'}`);
    throw error;
  } finally {
    await service?.stop();
    await bare?.stop();
    dir.cleanup();
  }
}
