// The same completion messages through Pub/Sub pull and through push, on the embedded SQLite store.
// Pull: a backlog of N messages on a subscription of the Pub/Sub test target (Google's emulator
// when installed, else the in-process fake), consumed by a worker process (SHOTCLOCK_MODE=worker).
// Push: the same N messages as wrapped envelopes POSTed to the real route by a load generator in a
// separate process (like Pub/Sub push, many at once). Both rates are measured the same way, from
// the log: N effects over the span from the first message's receipt (completed_at) to the last
// effect's commit (recordedAt). Nothing here is asserted.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lastValueFrom } from 'rxjs';
import { SystemClock } from '../src/common/clock/clock.js';
import { SqliteStorage } from '../src/common/event-store/sqlite/sqlite-storage.js';
import { PubSubClient } from '../src/common/transport/pubsub/pubsub.client.js';
import { BATCH_EVENTS } from '../src/modules/batches/batch.events.js';
import {
  createTopicWithSubscription,
  startPubSubTarget,
  type PubSubTarget,
} from '../test/support/pubsub/index.js';
import { metricValue } from '../test/support/prometheus-text.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import type { BenchOptions } from './bench-options.js';
import type { RunningChild } from './child-process.js';
import { completionData, type CompletionLoad } from './completion-envelopes.js';
import { JsonClient, pollUntil } from './json-client.js';
import type { LoadPlan, LoadReport } from './load-generator.js';
import { LOAD_GENERATOR_ENTRY, mib, startService } from './service-under-bench.js';

const ROUTE = 'prediction-completions';
const GAME_DATE = '2026-03-01';
const DRAIN_LIMIT_MS = 300_000;

interface SideResult {
  /** Effects per second over the log span (the figure compared). */
  rate: number;
  spanMs: number;
  /** Push only: requests/s as the load generator measured them (answers received). */
  clientRate: number | null;
  peakRssBytes: number | null;
}

interface Plan {
  messages: number;
  /** Extra env of the worker (`--streams`, `--max-messages`: PUBSUB_PULL_STREAMS, PUBSUB_PULL_MAX_MESSAGES). */
  pullEnv: Record<string, string>;
  warmup: number;
  connections: number;
  synchronous: 'FULL' | 'NORMAL';
  dir: string;
}

async function createBatch(baseUrl: string, batchId: string, players: number): Promise<void> {
  const client = new JsonClient(baseUrl);
  try {
    const created = await client.post('/v1/batches', {
      batch_id: batchId,
      game_date: GAME_DATE,
      expected_count: players,
    });
    if (created.status !== 201) {
      throw new Error(
        `POST /v1/batches answered ${created.status}: ${JSON.stringify(created.body)}`,
      );
    }
  } finally {
    client.close();
  }
}

async function waitForCompletions(baseUrl: string, batchId: string, count: number) {
  const client = new JsonClient(baseUrl);
  try {
    await pollUntil(
      `batch ${batchId} counting ${count} completions`,
      async () =>
        (await client.get<{ completed_count?: number }>(`/v1/batches/${batchId}`)).body
          .completed_count === count,
      DRAIN_LIMIT_MS,
    );
  } finally {
    client.close();
  }
}

/** A worker serves no API: its metrics say when every message is acknowledged. */
async function waitForAcks(baseUrl: string, subscription: string, count: number) {
  await pollUntil(
    `${count} messages acknowledged on ${subscription}`,
    async () => {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      return metricValue(text, 'shotclock_pull_acked_total', { subscription }) >= count;
    },
    DRAIN_LIMIT_MS,
  );
}

/**
 * The span from the first receipt to the last commit of the measured completions, those of the
 * players of `prefix` (the warm-up's players have another prefix). Read with the service stopped.
 */
async function logSpan(sqlitePath: string, prefix: string, expected: number) {
  const measured = `${prefix}-player-`;
  const storage = new SqliteStorage(
    { path: sqlitePath, synchronous: 'FULL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
    new SystemClock(),
  );
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let effects = 0;
  try {
    for await (const event of storage.events.readAll({
      types: [BATCH_EVENTS.predictionCompleted],
    })) {
      const data = event.data as { player_lookup: string; completed_at: string };
      if (!data.player_lookup.startsWith(measured)) continue;
      effects += 1;
      first = Math.min(first, Date.parse(data.completed_at));
      last = Math.max(last, Date.parse(event.recordedAt));
    }
  } finally {
    await storage.close();
  }
  if (effects !== expected) {
    throw new Error(`${effects} completion events of players ${measured}*, expected ${expected}`);
  }
  return Math.max(1, last - first);
}

async function runPush(plan: Plan, round: number): Promise<SideResult> {
  const dir = join(plan.dir, `push-${round}`);
  mkdirSync(dir);
  const service = await startService(dir, plan.synchronous, { SHOTCLOCK_MODE: 'api' });
  try {
    const load: CompletionLoad = {
      batchId: `batch_${GAME_DATE}_push${round}`,
      gameDate: GAME_DATE,
      prefix: `push${round}`,
      subscription: 'projects/shotclock-bench/subscriptions/shotclock-push',
    };
    // The load generator's warm-up completions (players `<prefix>w-...`) count in the same batch.
    const total = plan.messages + plan.warmup;
    await createBatch(service.baseUrl, load.batchId, total);
    const loadPlan: LoadPlan = {
      url: `${service.baseUrl}/v1/push/${ROUTE}`,
      connections: plan.connections,
      requests: plan.messages,
      warmup: plan.warmup,
      load,
    };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [LOAD_GENERATOR_ENTRY, JSON.stringify(loadPlan)],
      { maxBuffer: 16 * 2 ** 20 },
    );
    const report = JSON.parse(stdout) as LoadReport;
    if ((report.statuses['204'] ?? 0) !== plan.messages || report.errors > 0) {
      throw new Error(
        `push round ${round}: expected ${plan.messages} answers 204, got ${JSON.stringify(report.statuses)} (${report.firstError})`,
      );
    }
    await waitForCompletions(service.baseUrl, load.batchId, total);
    const peakRssBytes = service.peakRssBytes();
    await service.stop();
    const spanMs = await logSpan(join(dir, 'service.sqlite'), load.prefix, plan.messages);
    return {
      rate: plan.messages / (spanMs / 1000),
      spanMs,
      clientRate: report.rate,
      peakRssBytes,
    };
  } catch (error) {
    console.error(`push service output (tail):\n${service.output().slice(-4000)}`);
    throw error;
  } finally {
    await service.stop();
  }
}

async function runPull(plan: Plan, round: number, target: PubSubTarget): Promise<SideResult> {
  const dir = join(plan.dir, `pull-${round}`);
  mkdirSync(dir);
  const admin = target.client();
  const { topic, subscription } = await createTopicWithSubscription(admin, {
    ackDeadlineSeconds: 60,
  });
  const load: CompletionLoad = {
    batchId: `batch_${GAME_DATE}_pull${round}`,
    gameDate: GAME_DATE,
    prefix: `pull${round}`,
    subscription: subscription.name,
  };
  const warm: CompletionLoad = { ...load, prefix: `${load.prefix}w` };
  const total = plan.messages + plan.warmup;
  // The batch first, by an API-only process on the same store (a worker serves no API).
  const api = await startService(dir, plan.synchronous, { SHOTCLOCK_MODE: 'api' });
  try {
    await createBatch(api.baseUrl, load.batchId, total);
  } finally {
    await api.stop();
  }
  // The backlog: warm-up messages first, then the measured ones, published the Nest way.
  const publisher = new PubSubClient({ client: admin, topics: { [ROUTE]: topic.name } });
  for (const [which, count] of [
    [warm, plan.warmup],
    [load, plan.messages],
  ] as const) {
    await Promise.all(
      Array.from({ length: count }, (_, n) =>
        lastValueFrom(publisher.emit<string>(ROUTE, completionData(which, n))),
      ),
    );
  }
  await publisher.close();

  let worker: RunningChild | undefined;
  try {
    worker = await startService(dir, plan.synchronous, {
      ...target.env(),
      SHOTCLOCK_MODE: 'worker',
      PUBSUB_SUBSCRIPTIONS: `${ROUTE}=${subscription.name}`,
      ...plan.pullEnv,
    });
    await waitForAcks(worker.baseUrl, subscription.name, total);
    const peakRssBytes = worker.peakRssBytes();
    await worker.stop();
    const spanMs = await logSpan(join(dir, 'service.sqlite'), load.prefix, plan.messages);
    return { rate: plan.messages / (spanMs / 1000), spanMs, clientRate: null, peakRssBytes };
  } catch (error) {
    console.error(`worker output (tail):\n${worker?.output().slice(-4000) ?? '(not started)'}`);
    throw error;
  } finally {
    await worker?.stop();
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function pubsubSuite(options: BenchOptions): Promise<void> {
  const rounds = options.quick ? 1 : 3;
  const dir = makeTempDir('shotclock-bench-pubsub-');
  const plan: Plan = {
    messages: Number(options.value('messages', options.quick ? '1000' : '3000')),
    pullEnv: {
      ...(options.has('streams') ? { PUBSUB_PULL_STREAMS: options.value('streams', '') } : {}),
      ...(options.has('max-messages')
        ? { PUBSUB_PULL_MAX_MESSAGES: options.value('max-messages', '') }
        : {}),
    },
    warmup: options.quick ? 200 : 500,
    connections: Number(options.value('connections', '16')),
    synchronous: options.synchronous,
    dir: dir.path,
  };
  const target = await startPubSubTarget();
  try {
    console.error(
      `pubsub: target ${target.kind}, synchronous=${plan.synchronous}, ${rounds} round(s) of ` +
        `${plan.messages} messages (+${plan.warmup} warm-up); push over ${plan.connections} connections; ` +
        `worker env ${JSON.stringify(plan.pullEnv)}`,
    );
    const pulls: SideResult[] = [];
    const pushes: SideResult[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Alternate which side goes first, so disk state and warm caches favour neither.
      const pullRun = async () => pulls.push(await runPull(plan, round, target));
      const pushRun = async () => pushes.push(await runPush(plan, round));
      if (round % 2 === 1) {
        await pushRun();
        await pullRun();
      } else {
        await pullRun();
        await pushRun();
      }
      console.error(
        `round ${round}: pull ${pulls.at(-1)!.rate.toFixed(0)}/s (${pulls.at(-1)!.spanMs} ms), ` +
          `push ${pushes.at(-1)!.rate.toFixed(0)}/s (${pushes.at(-1)!.spanMs} ms; load generator ` +
          `${pushes.at(-1)!.clientRate!.toFixed(0)}/s)`,
      );
    }
    const rate = (results: SideResult[]) => median(results.map((result) => result.rate));
    const format = (n: number) => Math.round(n).toLocaleString('en-US');
    const ratio = rate(pulls) / rate(pushes);
    console.log(
      `| ${plan.messages} completions (synchronous=${plan.synchronous}, ${target.kind}, median of ${rounds}) | pull (worker) | push (${plan.connections} connections) | pull / push | goal |`,
    );
    console.log('|---|---:|---:|---:|---|');
    console.log(
      `| effects/s (log span) | ${format(rate(pulls))} | ${format(rate(pushes))} | ${ratio.toFixed(2)} | >= 1: ${ratio >= 1 ? 'met' : 'not met'} |`,
    );
    console.log(
      `| push requests/s (load generator) | | ${format(median(pushes.map((result) => result.clientRate!)))} | | |`,
    );
    console.log(
      `| peak RSS of the service | ${mib(median(pulls.map((r) => r.peakRssBytes ?? 0)))} | ${mib(median(pushes.map((r) => r.peakRssBytes ?? 0)))} | | |`,
    );
  } finally {
    await target.stop();
    dir.cleanup();
  }
}
