// `npm run bench -- --suite firestore-billing [--idle-minutes M] [--players N] [--quick]`
// What the service on EVENT_STORE=firestore costs in Firestore's billed operations: the real
// service (a child process) talks to the emulator through CountingFirestoreProxy, which counts
// reads, writes, deletes and RPCs; each kind of message is measured as a difference of its
// counters once the background work it causes has settled, less the idle polling of the same
// span. Then the month at the platform's volume (VOLUME below), at published list prices.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
} from '../../test/support/firestore/index.js';
import type { BenchOptions } from '../bench-options.js';
import type { RunningChild } from '../child-process.js';
import { completionEnvelope, player, type CompletionLoad } from '../completion-envelopes.js';
import { startService } from '../service-under-bench.js';
import {
  difference,
  FREE_PER_DAY,
  monthlyCost,
  NAM5_PRICES,
  noOperations,
  US_CENTRAL1_PRICES,
  type BilledOperations,
  type CollectionOperations,
  type OperationCounts,
} from './billed-operations.js';
import { CountingFirestoreProxy } from './counting-proxy.js';

/** The platform's volume: the assumptions of the monthly bill (edit here). */
export const VOLUME = {
  daysPerMonth: 30,
  /** One prediction batch a day, of about this many players (the peak batch is PEAK_PLAYERS). */
  predictionBatchesPerDay: 1,
  playersPerBatch: 450,
  /** Game dates whose phase 2 runs per day, and processors reporting per date. */
  phase2DatesPerDay: 1,
  processorsPerDate: 6,
  /** Share of push deliveries that are redeliveries of a message already handled. */
  duplicateShare: 0.1,
  /** Instances running (and polling) around the clock. */
  instances: 2,
} as const;

/** The peak: a 1,000-player batch, its completions within a minute (~17/s). */
export const PEAK_PLAYERS = 1000;
const PEAK_COMPLETIONS_PER_SECOND = PEAK_PLAYERS / 60;

/**
 * Idle polling relaxed by configuration only (second idle measurement): appends in the same
 * process still wake its followers at once; another instance's appends are seen within 10 s, and a
 * dead holder's jobs move after 60 s instead of 15 s.
 */
export const RELAXED_POLLING: Record<string, string> = {
  TIMEOUT_PROJECTION_IDLE_POLL_MS: '10000',
  TIMEOUT_OUTBOX_IDLE_POLL_MS: '10000',
  TIMEOUT_TIMER_MAX_SLEEP_MS: '30000',
  TIMEOUT_LEASE_RENEW_MS: '20000',
  TIMEOUT_LEASE_TTL_MS: '60000',
};

/** Cloud SQL for PostgreSQL list prices (USD/month, us-central1), carried over, not measured. */
const CLOUD_SQL = [
  { name: 'db-f1-micro (shared core, 0.6 GB) + 10 GB SSD', usd: 7.67 + 1.7 },
  { name: 'db-g1-small (shared core, 1.7 GB) + 10 GB SSD', usd: 25.55 + 1.7 },
];

const COLLECTION_PREFIX = 'shotclock_';
const PREDICTION_PUSH = '/v1/push/prediction-completions';
const PHASE2_PUSH = '/v1/push/phase2-completions';
const SUBSCRIPTION = 'projects/nba-props-platform/subscriptions/shotclock-bench';
/** Writes other than lease renewals stop for this long: the work a message caused is done (> the 5 s skip-checkpoint interval). */
const QUIET_MS = 8000;
/** After a start, before idle is measured: leases taken, projections caught up. */
const START_SETTLE_MS = 30_000;
const SAMPLE_MS = 250;

/** Five required processors and one tracked one of config/processors.yaml, as their publishers name them. */
const PHASE2_REPORTS = [
  { processor_name: 'BigDataBallPbpProcessor', output_table: 'nba_raw.bigdataball_play_by_play' },
  { processor_name: 'OddsApiGameLinesBatchProcessor', output_table: 'nba_raw.odds_api_game_lines' },
  { processor_name: 'OddsApiPropsBatchProcessor', output_table: 'nba_raw.odds_api_player_props' },
  { processor_name: 'NbacGamebookProcessor', output_table: 'nba_raw.nbac_gamebook_player_stats' },
  { processor_name: 'NbacPlayerBoxscoreProcessor', output_table: 'nba_raw.nbac_player_boxscores' },
  { processor_name: 'BdlPlayerBoxscoresProcessor', output_table: 'nba_raw.bdl_player_boxscores' },
];

interface Sample {
  at: number;
  ops: BilledOperations;
}

/** One kind of message, measured. */
interface KindResult {
  name: string;
  count: number;
  /** From the first message sent until the writes it caused stopped. */
  seconds: number;
  /** From the first message sent until the last was answered. */
  sendSeconds: number;
  /** Per message, idle polling of the span subtracted. */
  perMessage: BilledOperations;
}

export async function firestoreBillingSuite(options: BenchOptions): Promise<void> {
  const quick = options.quick;
  const idleMinutes = Number(options.value('idle-minutes', quick ? '1' : '3'));
  const players = Number(options.value('players', quick ? '100' : String(VOLUME.playersPerBatch)));
  const duplicates = Math.max(10, Math.round(players / 5));
  const phase2Dates = quick ? 1 : 2;
  const trickle = quick ? 2 : 5;

  const target = await startFirestoreTarget('emulator');
  const proxy = await CountingFirestoreProxy.start(target.host);
  const projectId = uniqueFirestoreProjectId('bench-billing');
  const dirs: string[] = [];
  const services = new Set<RunningChild>();
  const start = async (env: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'shotclock-bench-billing-'));
    dirs.push(dir);
    const service = await startService(dir, 'FULL', {
      ...target.env(projectId),
      EVENT_STORE: 'firestore',
      FIRESTORE_EMULATOR_HOST: proxy.host,
      ...env,
    });
    services.add(service);
    await sleep(START_SETTLE_MS);
    return service;
  };
  const stop = async (...stopping: RunningChild[]) => {
    for (const service of stopping) {
      await service.stop();
      services.delete(service);
    }
  };
  try {
    console.error(
      `firestore-billing: emulator ${target.host} behind the counting proxy ${proxy.host}; ` +
        `idle ${idleMinutes} min per setting; a ${players}-player batch completed at ` +
        `${PEAK_COMPLETIONS_PER_SECOND.toFixed(1)}/s, ${duplicates} duplicates, ${trickle} lone completions, ` +
        `${phase2Dates * PHASE2_REPORTS.length} phase-2 pushes`,
    );
    const meter = new Meter(proxy);
    const idle: Record<'one' | 'two' | 'relaxed', Rate> = {} as never;
    let first = await start();
    console.error(`idle, 1 instance, ${idleMinutes} min ...`);
    idle.one = await meter.idle(idleMinutes);
    let second = await start();
    console.error(`idle, 2 instances, ${idleMinutes} min ...`);
    idle.two = await meter.idle(idleMinutes);
    await stop(first, second);
    first = await start(RELAXED_POLLING);
    second = await start(RELAXED_POLLING);
    console.error(`idle, 2 instances, relaxed polling, ${idleMinutes} min ...`);
    idle.relaxed = await meter.idle(idleMinutes);
    await stop(first, second);

    const service = await start();
    meter.idleRate = idle.one;
    const base = service.baseUrl;
    const kinds: Record<KindName, KindResult> = {} as never;
    const typical: CompletionLoad = {
      batchId: 'batch_2026-03-01_billing',
      gameDate: '2026-03-01',
      prefix: 'billing',
      subscription: SUBSCRIPTION,
    };
    const peak: CompletionLoad = {
      ...typical,
      batchId: 'batch_2026-03-02_billing',
      gameDate: '2026-03-02',
      prefix: 'peak',
    };
    console.error('batches ...');
    kinds.batch = await meter.measure(`POST /v1/batches, ${players} players`, 1, () =>
      createBatch(base, typical, players),
    );
    kinds.peakBatch = await meter.measure(`POST /v1/batches, ${PEAK_PLAYERS} players`, 1, () =>
      createBatch(base, peak, PEAK_PLAYERS),
    );
    console.error(`${players} prediction completions ...`);
    kinds.completion = await meter.measure(
      `prediction completion at ${PEAK_COMPLETIONS_PER_SECOND.toFixed(0)}/s (the peak pace), the ${players}-player batch run to completion`,
      players,
      () => pushPaced(`${base}${PREDICTION_PUSH}`, players, (n) => completionEnvelope(typical, n)),
    );
    console.error(`${trickle} prediction completions, one at a time ...`);
    kinds.trickle = await meter.measureEach(
      `prediction completion alone (each after the previous one's work settled)`,
      trickle,
      (n) => push(`${base}${PREDICTION_PUSH}`, completionEnvelope(peak, n)),
    );
    console.error(`${duplicates} redelivered completions ...`);
    kinds.duplicate = await meter.measure(
      `duplicate (a redelivered prediction completion), at the peak pace`,
      duplicates,
      () =>
        pushPaced(`${base}${PREDICTION_PUSH}`, duplicates, (n) => completionEnvelope(typical, n)),
    );
    console.error(`${phase2Dates} game date(s) of phase 2, one push at a time ...`);
    const phase2 = Array.from({ length: phase2Dates }, (_, d) =>
      PHASE2_REPORTS.map((report) => ({ gameDate: `2026-03-1${d}`, report })),
    ).flat();
    kinds.phase2 = await meter.measureEach(
      `phase-2 completion alone (${PHASE2_REPORTS.length} a date; the 5th required one triggers phase 3)`,
      phase2.length,
      (n) => push(`${base}${PHASE2_PUSH}`, phase2Body(phase2[n]!.gameDate, phase2[n]!.report)),
    );
    await stop(service);

    printIdle(idle);
    console.log('');
    printKinds(Object.values(kinds));
    console.log('');
    printPeak(kinds.completion);
    console.log('');
    printCollections(kinds, idle.two);
    console.log('');
    printMonth(kinds, idle, players);
  } catch (error) {
    for (const service of services) {
      console.error(`service output (tail):\n${service.output().slice(-4000)}`);
    }
    throw error;
  } finally {
    for (const service of services) await service.stop();
    await proxy.stop();
    await target.reset(projectId).catch(() => undefined);
    await target.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

type KindName = 'batch' | 'peakBatch' | 'completion' | 'trickle' | 'duplicate' | 'phase2';

/** Idle operations per hour. */
type Rate = BilledOperations;

class Meter {
  /** Per hour, subtracted from every measured span. */
  idleRate: Rate | null = null;

  constructor(private readonly proxy: CountingFirestoreProxy) {}

  private sample(): Sample {
    return { at: performance.now(), ops: this.proxy.snapshot() };
  }

  async idle(minutes: number): Promise<Rate> {
    const before = this.sample();
    await sleep(minutes * 60_000);
    const after = this.sample();
    return scale(difference(after.ops, before.ops), 3_600_000 / (after.at - before.at));
  }

  /** Runs `work`, waits for the writes it caused to stop, and returns the cost per message. */
  async measure(name: string, count: number, work: () => Promise<void>): Promise<KindResult> {
    const before = this.sample();
    await work();
    const sent = this.sample();
    const end = await this.settled(sent);
    return this.result(name, count, before, end, (sent.at - before.at) / 1000);
  }

  /** `count` messages, each sent once the previous one's work has settled; one result for all. */
  async measureEach(
    name: string,
    count: number,
    send: (n: number) => Promise<void>,
  ): Promise<KindResult> {
    let total = noOperations();
    let seconds = 0;
    let sendSeconds = 0;
    for (let n = 0; n < count; n++) {
      const one = await this.measure(name, 1, () => send(n));
      total = plus(total, one.perMessage);
      seconds += one.seconds;
      sendSeconds += one.sendSeconds;
    }
    return { name, count, seconds, sendSeconds, perMessage: scale(total, 1 / count) };
  }

  /**
   * The last sample before a quiet spell: QUIET_MS with no write but lease renewals (skip
   * checkpoints, timers, projections and the outbox all write when they act).
   */
  private async settled(from: Sample): Promise<Sample> {
    let last = from;
    let previous = from;
    for (;;) {
      await sleep(SAMPLE_MS);
      const now = this.sample();
      const delta = difference(now.ops, previous.ops);
      const busy = Object.entries(delta.byCollection).some(
        ([collection, ops]) => collection !== LEASES && ops.writes + ops.deletes > 0,
      );
      if (busy) last = now;
      previous = now;
      if (now.at - last.at >= QUIET_MS) return last;
    }
  }

  /**
   * What the span cost beyond idling: lease renewals run on a clock whatever the load, so they are
   * left out; the idle rate of every other collection is subtracted for the span's length.
   */
  private result(
    name: string,
    count: number,
    before: Sample,
    end: Sample,
    sendSeconds: number,
  ): KindResult {
    const seconds = (end.at - before.at) / 1000;
    let spent = withoutLeases(difference(end.ops, before.ops));
    if (this.idleRate) spent = plus(spent, withoutLeases(this.idleRate), -seconds / 3600);
    return { name, count, seconds, sendSeconds, perMessage: scale(spent, 1 / count) };
  }
}

const LEASES = `${COLLECTION_PREFIX}leases`;

/** `ops` without the lease collection (its RPCs are then only in byCollection, not in calls). */
function withoutLeases(ops: BilledOperations): BilledOperations {
  const leases = ops.byCollection[LEASES];
  if (!leases) return ops;
  const { [LEASES]: _leases, ...byCollection } = ops.byCollection;
  return {
    reads: ops.reads - leases.reads,
    writes: ops.writes - leases.writes,
    deletes: ops.deletes - leases.deletes,
    calls: ops.calls,
    byCollection,
  };
}

/** `a + k * b`, over the methods and collections of both. */
function plus(a: BilledOperations, b: BilledOperations, k = 1): BilledOperations {
  const counts = (x: CollectionOperations | undefined, y: CollectionOperations | undefined) => ({
    reads: (x?.reads ?? 0) + k * (y?.reads ?? 0),
    writes: (x?.writes ?? 0) + k * (y?.writes ?? 0),
    deletes: (x?.deletes ?? 0) + k * (y?.deletes ?? 0),
    rpcs: (x?.rpcs ?? 0) + k * (y?.rpcs ?? 0),
  });
  const methods = new Set([...Object.keys(a.calls), ...Object.keys(b.calls)]);
  const collections = new Set([...Object.keys(a.byCollection), ...Object.keys(b.byCollection)]);
  return {
    reads: a.reads + k * b.reads,
    writes: a.writes + k * b.writes,
    deletes: a.deletes + k * b.deletes,
    calls: Object.fromEntries(
      [...methods].map((m) => [m, (a.calls[m] ?? 0) + k * (b.calls[m] ?? 0)]),
    ),
    byCollection: Object.fromEntries(
      [...collections].map((c) => [c, counts(a.byCollection[c], b.byCollection[c])]),
    ),
  };
}

const scale = (ops: BilledOperations, k: number) => plus(noOperations(), ops, k);

/** RPCs, from the collections (so that leaving a collection out leaves out its RPCs). */
const rpcs = (ops: BilledOperations) =>
  Object.values(ops.byCollection).reduce((sum, c) => sum + c.rpcs, 0);
const collection = (ops: BilledOperations, name: string): CollectionOperations =>
  ops.byCollection[`${COLLECTION_PREFIX}${name}`] ?? { reads: 0, writes: 0, deletes: 0, rpcs: 0 };
/** Idempotency keys a message wrote: each is deleted (and read by the purge query) once it expires. */
const keyDocuments = (ops: BilledOperations) => collection(ops, 'idempotency_keys').writes;

async function createBatch(baseUrl: string, load: CompletionLoad, players: number): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      batch_id: load.batchId,
      game_date: load.gameDate,
      expected_players: Array.from({ length: players }, (_, n) => player(load.prefix, n)),
    }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /v1/batches answered ${response.status}: ${await response.text()}`);
  }
}

async function push(url: string, body: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
}

/** `count` pushes sent on a schedule of PEAK_COMPLETIONS_PER_SECOND, without waiting for answers. */
async function pushPaced(url: string, count: number, body: (n: number) => string): Promise<void> {
  const started = performance.now();
  const sent: Array<Promise<void>> = [];
  for (let n = 0; n < count; n++) {
    const due = started + (n * 1000) / PEAK_COMPLETIONS_PER_SECOND;
    await sleep(Math.max(0, due - performance.now()));
    sent.push(push(url, body(n)));
  }
  await Promise.all(sent);
}

function phase2Body(gameDate: string, report: (typeof PHASE2_REPORTS)[number]): string {
  const data = {
    ...report,
    phase: 'phase_2_raw',
    execution_id: `exec-${report.processor_name}-${gameDate}`,
    correlation_id: `corr-${gameDate}`,
    game_date: gameDate,
    status: 'success',
    record_count: 10,
    timestamp: `${gameDate}T11:58:41Z`,
  };
  const messageId = `phase2-${gameDate}-${report.processor_name}`;
  return JSON.stringify({
    message: {
      data: Buffer.from(JSON.stringify(data)).toString('base64'),
      messageId,
      publishTime: `${gameDate}T12:00:00.000Z`,
      attributes: {},
    },
    subscription: SUBSCRIPTION,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const whole = (n: number) => Math.round(n).toLocaleString('en-US');
const tenth = (n: number) => (Math.abs(n) < 0.05 ? '0' : n.toFixed(1));
const usd = (n: number) => `$${n.toFixed(2)}`;
const shortName = (name: string) =>
  name.startsWith(COLLECTION_PREFIX) ? name.slice(COLLECTION_PREFIX.length) : name;
const row = (cells: ReadonlyArray<string | number>) => console.log(`| ${cells.join(' | ')} |`);

function printIdle(idle: Record<'one' | 'two' | 'relaxed', Rate>): void {
  row([
    'idle service, per hour (emulator)',
    'reads',
    'writes',
    'deletes',
    'RPCs',
    'of which leases (r / w)',
  ]);
  console.log('|---|---:|---:|---:|---:|---:|');
  const relaxed = Object.entries(RELAXED_POLLING)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  for (const [name, rate] of [
    ['1 instance, default timeouts', idle.one],
    ['2 instances, default timeouts', idle.two],
    [`2 instances, ${relaxed}`, idle.relaxed],
  ] as const) {
    const leases = collection(rate, 'leases');
    row([
      name,
      whole(rate.reads),
      whole(rate.writes),
      whole(rate.deletes),
      whole(rpcs(rate)),
      `${whole(leases.reads)} / ${whole(leases.writes)}`,
    ]);
  }
}

function printKinds(kinds: readonly KindResult[]): void {
  row([
    'per message (emulator; lease renewals and the idle polling of the span left out)',
    'messages',
    'span',
    'reads',
    'writes',
    'deletes',
    'RPCs',
    'idempotency keys written (each deleted later)',
  ]);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const kind of kinds) {
    const ops = kind.perMessage;
    row([
      kind.name,
      kind.count,
      `${kind.seconds.toFixed(0)} s`,
      tenth(ops.reads),
      tenth(ops.writes),
      tenth(ops.deletes),
      tenth(rpcs(ops)),
      tenth(keyDocuments(ops)),
    ]);
  }
}

/**
 * The sequencer and the store's busiest documents while completions arrive at the peak pace: the
 * work they caused, over the time they took to send (work that trailed after is included, so
 * these rates lean high).
 */
function printPeak(completion: KindResult): void {
  const perSecond = (n: number) => ((n * completion.count) / completion.sendSeconds).toFixed(1);
  const ops = completion.perMessage;
  const passes = collection(ops, 'sequence').writes;
  // An event document is written twice: created pending, then numbered by a pass.
  const events = collection(ops, 'events').writes / 2;
  const checkpoints = collection(ops, 'checkpoints').writes;
  row([
    `${completion.count} completions at the peak pace (emulator), over the ${completion.sendSeconds.toFixed(1)} s they took to send`,
    'per second',
  ]);
  console.log('|---|---:|');
  row(['prediction completions', perSecond(1)]);
  row(['events appended', perSecond(events)]);
  row(['sequencing passes (writes of the one counter document)', perSecond(passes)]);
  row(['events numbered per pass', (events / Math.max(passes, 1e-9)).toFixed(1)]);
  row(['checkpoint writes (all projections, reactions, outbox topics)', perSecond(checkpoints)]);
  row(['document writes, all', perSecond(ops.writes + ops.deletes)]);
  row(['document reads, all', perSecond(ops.reads)]);
}

/** Where the operations go: reads / writes / deletes per collection, per message (idle: per hour). */
function printCollections(kinds: Record<KindName, KindResult>, idle: Rate): void {
  const columns = [
    { name: 'idle, 2 instances, per hour', ops: idle, format: whole },
    { name: 'batch created', ops: kinds.batch.perMessage, format: tenth },
    { name: 'completion, peak pace', ops: kinds.completion.perMessage, format: tenth },
    { name: 'completion alone', ops: kinds.trickle.perMessage, format: tenth },
    { name: 'duplicate', ops: kinds.duplicate.perMessage, format: tenth },
    { name: 'phase-2 completion', ops: kinds.phase2.perMessage, format: tenth },
  ];
  const names = [...new Set(columns.flatMap(({ ops }) => Object.keys(ops.byCollection)))].sort();
  row(['collection: reads / writes / deletes', ...columns.map((column) => column.name)]);
  console.log(`|---|${columns.map(() => '---:').join('|')}|`);
  for (const name of names) {
    const cells = columns.map(({ ops, format }) => {
      const c = ops.byCollection[name];
      if (!c || [c.reads, c.writes, c.deletes].every((n) => Math.abs(n) < 0.05)) return '';
      return `${format(c.reads)} / ${format(c.writes)} / ${format(c.deletes)}`;
    });
    if (cells.some((cell) => cell !== '')) row([shortName(name), ...cells]);
  }
}

function printMonth(
  kinds: Record<KindName, KindResult>,
  idle: Record<'two' | 'relaxed', Rate>,
  players: number,
): void {
  const v = VOLUME;
  const completionsPerDay = v.predictionBatchesPerDay * v.playersPerBatch;
  const phase2PerDay = v.phase2DatesPerDay * v.processorsPerDate;
  const duplicatesPerDay = v.duplicateShare * (completionsPerDay + phase2PerDay);
  // Measured on a batch of --players players (VOLUME's unless --quick), scaled to VOLUME's.
  const batch = scale(kinds.batch.perMessage, v.playersPerBatch / players);
  const items: Array<[string, number, OperationCounts]> = [
    [`prediction batch created (${v.playersPerBatch} players)`, v.predictionBatchesPerDay, batch],
    [`prediction completions (at the peak pace)`, completionsPerDay, kinds.completion.perMessage],
    [`phase-2 completions (${v.processorsPerDate} a date)`, phase2PerDay, kinds.phase2.perMessage],
    [
      `duplicate deliveries (${v.duplicateShare * 100}% of pushes)`,
      duplicatesPerDay,
      kinds.duplicate.perMessage,
    ],
  ];
  const keys =
    v.predictionBatchesPerDay * keyDocuments(batch) +
    completionsPerDay * keyDocuments(kinds.completion.perMessage) +
    phase2PerDay * keyDocuments(kinds.phase2.perMessage) +
    duplicatesPerDay * keyDocuments(kinds.duplicate.perMessage);
  items.push([
    'expired idempotency keys purged (a read and a delete each)',
    keys,
    { reads: 1, writes: 0, deletes: 1 },
  ]);
  const messages: OperationCounts = { reads: 0, writes: 0, deletes: 0 };
  row(['one day at the platform volume', 'per day', 'reads', 'writes', 'deletes']);
  console.log('|---|---:|---:|---:|---:|');
  const idleRow = (name: string, rate: Rate) => {
    const idleLeases = {
      reads: rate.reads * 24,
      writes: rate.writes * 24,
      deletes: rate.deletes * 24,
    };
    row([
      name,
      '24 h',
      whole(idleLeases.reads),
      whole(idleLeases.writes),
      whole(idleLeases.deletes),
    ]);
    return idleLeases;
  };
  const idleDefault = idleRow(
    `idle, ${v.instances} instances, default timeouts (leases included)`,
    idle.two,
  );
  const idleRelaxed = idleRow(
    `idle, ${v.instances} instances, relaxed polling (leases included)`,
    idle.relaxed,
  );
  for (const [name, times, ops] of items) {
    const r = {
      reads: ops.reads * times,
      writes: ops.writes * times,
      deletes: ops.deletes * times,
    };
    messages.reads += r.reads;
    messages.writes += r.writes;
    messages.deletes += r.deletes;
    row([name, tenth(times), whole(r.reads), whole(r.writes), whole(r.deletes)]);
  }
  row([
    'messages, total',
    '',
    whole(messages.reads),
    whole(messages.writes),
    whole(messages.deletes),
  ]);
  console.log('');
  const total = (idleDay: OperationCounts): OperationCounts => ({
    reads: idleDay.reads + messages.reads,
    writes: idleDay.writes + messages.writes,
    deletes: idleDay.deletes + messages.deletes,
  });
  row([
    `month (${v.daysPerMonth} days), Firestore list prices`,
    US_CENTRAL1_PRICES.location,
    NAM5_PRICES.location,
  ]);
  console.log('|---|---:|---:|');
  const bill = (label: string, day: OperationCounts, withFreeQuota: boolean) =>
    row([
      label,
      usd(monthlyCost(day, US_CENTRAL1_PRICES, withFreeQuota, v.daysPerMonth)),
      usd(monthlyCost(day, NAM5_PRICES, withFreeQuota, v.daysPerMonth)),
    ]);
  const quota = `the free quota (${whole(FREE_PER_DAY.reads)} reads, ${whole(FREE_PER_DAY.writes)} writes, ${whole(FREE_PER_DAY.deletes)} deletes a day, (default) database only, shared with whatever else uses it)`;
  bill('default timeouts, without the free quota', total(idleDefault), false);
  bill(`default timeouts, with ${quota}`, total(idleDefault), true);
  bill('relaxed polling, without the free quota', total(idleRelaxed), false);
  bill('relaxed polling, with the free quota', total(idleRelaxed), true);
  bill('the messages alone (no idle polling), without the free quota', messages, false);
  for (const sql of CLOUD_SQL) {
    row([
      `Cloud SQL for PostgreSQL, ${sql.name} (list price carried over, not measured)`,
      usd(sql.usd),
      '',
    ]);
  }
}
