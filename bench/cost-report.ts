// `npm run cost:report -- --days 90`
// Plants `days` days of decisions and executions of the production workflow set (config/workflows.yaml)
// into a fresh embedded analytics store, then runs a dashboard that asks every named query once a
// minute for one simulated day while the day's rows land every export interval (5 min). Prints the
// bytes each query reads with and without its partition filter, the application-cache hit rate and
// the projected monthly on-demand cost of each way of querying. Everything runs in this process on a
// ManualClock; no BigQuery account is needed (bytes are estimated the way BigQuery bills).
import { ManualClock } from '../src/common/clock/clock.js';
import { loadConfig } from '../src/common/config/index.js';
import { STORAGE, type Storage } from '../src/common/event-store/index.js';
import { ProjectionRunner } from '../src/common/projections/projection-runner.js';
import { createApp } from '../src/bootstrap.js';
import { ANALYTICS_SINK, type AnalyticsSink } from '../src/modules/cost/analytics-sink.port.js';
import type { ExecutionRow } from '../src/modules/cost/analytics-rows.js';
import { AnalyticsLoadRecorder } from '../src/modules/cost/export/analytics-load.recorder.js';
import { partitionDays } from '../src/modules/cost/export/partition-days.js';
import { costLedgerProjection } from '../src/modules/cost/ledger/cost-ledger.projection.js';
import { CostLedgerService } from '../src/modules/cost/ledger/cost-ledger.service.js';
import { billedTableBytes } from '../src/modules/cost/embedded/bigquery-bytes.estimator.js';
import { usdOf } from '../src/modules/cost/ledger/usd.js';
import { AnalyticsQueryService } from '../src/modules/cost/queries/analytics-query.service.js';
import { NAMED_QUERIES } from '../src/modules/cost/queries/named-queries.js';
import { partitionWatermarksProjection } from '../src/modules/cost/queries/partition-watermarks.projection.js';
import { addDays } from '../src/common/clock/calendar-days.js';
import { rangeDays, rangeParams } from '../src/modules/cost/queries/query-range.js';
import {
  embeddedSource,
  fullScanSource,
  type TableSource,
} from '../src/modules/cost/queries/table-source.js';
import { WORKFLOWS_DEFINITION } from '../src/modules/workflows/decisions/workflows-definition.token.js';
import type { WorkflowsDefinition } from '../src/modules/workflows/workflow-config.types.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import {
  seededRandom,
  syntheticHour,
  type HourRows,
} from './cost-report/synthetic-workflow-hour.js';
import { describeMachine } from './machine.js';

const MINUTES_PER_DAY = 1440;
const MS_PER_MINUTE = 60_000;
const EXPORT_EVERY_MINUTES = 5;
const DAYS_PER_MONTH = 30;
const SIMULATED_DAY = '2026-03-01';
const WAIT_MS = 60_000;

function daysArgument(): number {
  const index = process.argv.indexOf('--days');
  const text = index >= 0 ? process.argv[index + 1] : '90';
  const days = Number(text);
  if (!Number.isInteger(days) || days < 2 || days > 400) {
    console.error(`--days ${text}: expected a whole number of days from 2 to 400`);
    process.exit(2);
  }
  return days;
}

const days = daysArgument();
const firstDay = addDays(SIMULATED_DAY, -(days - 1));
const dir = makeTempDir('shotclock-cost-report-');
const clock = new ManualClock(`${firstDay}T00:00:00.000Z`);
const app = await createApp(
  loadConfig({
    SQLITE_PATH: `${dir.path}/shotclock.sqlite`,
    SQLITE_SYNCHRONOUS: 'NORMAL',
    LOG_LEVEL: 'error',
    TIMEOUT_PROJECTION_IDLE_POLL_MS: '20',
  }),
  { clock },
);
await app.init();
const sink: AnalyticsSink = app.get(ANALYTICS_SINK);
const storage: Storage = app.get(STORAGE);
const runner = app.get(ProjectionRunner);
const queries = app.get(AnalyticsQueryService);
const definition: WorkflowsDefinition = app.get(WORKFLOWS_DEFINITION);
const recorder = new AnalyticsLoadRecorder(storage.events);
const random = seededRandom(20260301);
const version = 'cost-report';

async function land(rows: HourRows): Promise<void> {
  const tables = [
    ['workflow_decisions', rows.decisions],
    ['workflow_executions', rows.executions],
  ] as const;
  for (const [table, tableRows] of tables) {
    if (tableRows.length === 0) continue;
    const result = await sink.load(table, tableRows as never);
    await recorder.record(table, result, clock.now(), partitionDays(table, tableRows as never));
  }
}

async function projected(name: string): Promise<void> {
  const head = await storage.events.head();
  if (head !== null) await runner.waitFor(name, head, WAIT_MS);
}

const started = Date.now();
console.error(`machine: ${JSON.stringify(describeMachine())}`);
console.error(
  `planting ${days - 1} days of history (${firstDay}..${addDays(SIMULATED_DAY, -1)}), ${definition.workflows.length} workflows`,
);
let historyRows = 0;
for (let day = 0; day < days - 1; day += 1) {
  const date = addDays(firstDay, day);
  const rows: HourRows = { decisions: [], executions: [] };
  for (let hour = 0; hour < 24; hour += 1) {
    const hourRows = syntheticHour(
      definition,
      new Date(`${date}T${String(hour).padStart(2, '0')}:00:00.000Z`),
      random,
      version,
    );
    rows.decisions.push(...hourRows.decisions);
    rows.executions.push(...hourRows.executions);
  }
  clock.advanceMs(Date.parse(`${addDays(date, 1)}T00:00:00.000Z`) - clock.now().getTime());
  await land(rows);
  historyRows += rows.decisions.length + rows.executions.length;
  if ((day + 1) % 10 === 0) console.error(`  ${day + 1}/${days - 1} days, ${historyRows} rows`);
}
await projected(partitionWatermarksProjection.name);

console.error(
  `simulating ${SIMULATED_DAY}: every named query once a minute, rows landing every ${EXPORT_EVERY_MINUTES} min`,
);
const dayStart = Date.parse(`${SIMULATED_DAY}T00:00:00.000Z`);
let pending: HourRows = { decisions: [], executions: [] };
let running: ExecutionRow[] = [];
let dayRows = 0;
for (let minute = 0; minute < MINUTES_PER_DAY; minute += 1) {
  const now = dayStart + minute * MS_PER_MINUTE;
  clock.advanceMs(now - clock.now().getTime());
  if (minute % 60 === 0) {
    const hour = syntheticHour(definition, new Date(now), random, version);
    pending.decisions.push(...hour.decisions);
    running.push(...hour.executions);
  }
  pending.executions.push(...running.filter((row) => Date.parse(row.created_at) <= now));
  running = running.filter((row) => Date.parse(row.created_at) > now);
  if (
    minute % EXPORT_EVERY_MINUTES === 0 &&
    pending.decisions.length + pending.executions.length > 0
  ) {
    dayRows += pending.decisions.length + pending.executions.length;
    await land(pending);
    pending = { decisions: [], executions: [] };
    await projected(partitionWatermarksProjection.name);
  }
  for (const query of NAMED_QUERIES) await queries.run(query.name);
  if ((minute + 1) % 240 === 0) {
    const stats = queries
      .catalogue()
      .queries.reduce(
        (sum, q) => ({ hits: sum.hits + q.cache.hits, misses: sum.misses + q.cache.misses }),
        { hits: 0, misses: 0 },
      );
    console.error(
      `  ${String((minute + 1) / 60).padStart(2)} h: ${stats.hits} hits, ${stats.misses} misses`,
    );
  }
}
await projected(costLedgerProjection.name);

const ledger = await app.get(CostLedgerService).report({ from: SIMULATED_DAY, to: SIMULATED_DAY });
const entries = ledger.days.find((d) => d.day === SIMULATED_DAY)?.queries ?? [];
const config = { price: ledger.price_per_tib_usd, minimum: ledger.min_billed_bytes_per_table };
const endOfDay = new Date(dayStart + (MINUTES_PER_DAY - 1) * MS_PER_MINUTE);

async function dryRunBytes(query: (typeof NAMED_QUERIES)[number], source: TableSource) {
  const range = query.defaultRange(endOfDay);
  const result = await sink.query({
    name: query.name,
    sql: query.sql(source),
    params: rangeParams(range),
    labels: { module: 'cost', query_name: query.name, env: 'report' },
    maximumBytesBilled: Number.MAX_SAFE_INTEGER,
    dryRun: true,
  });
  return { range, processed: result.statistics.totalBytesProcessed };
}

interface Line {
  name: string;
  days: number;
  full: number;
  filtered: number;
  requests: number;
  jobs: number;
  hits: number;
  billedMeasured: number;
  billedFull: number;
  billedFiltered: number;
}
const lines: Line[] = [];
for (const query of NAMED_QUERIES) {
  const full = await dryRunBytes(query, fullScanSource);
  const filtered = await dryRunBytes(query, embeddedSource);
  const entry = entries.find((e) => e.query_name === query.name);
  const requests = entry?.requests ?? 0;
  lines.push({
    name: query.name,
    days: rangeDays(filtered.range),
    full: full.processed,
    filtered: filtered.processed,
    requests,
    jobs: entry?.jobs ?? 0,
    hits: entry?.app_cache_hits ?? 0,
    billedMeasured: entry?.bytes_billed ?? 0,
    billedFull: requests * billedTableBytes(full.processed, query.tables.length * config.minimum),
    billedFiltered:
      requests * billedTableBytes(filtered.processed, query.tables.length * config.minimum),
  });
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
const bytes = (count: number) => count.toLocaleString('en-US');
const pct = (part: number, whole: number) =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(2)}%`;
const monthly = (billedPerDay: number) =>
  `$${(usdOf(billedPerDay, config.price) * DAYS_PER_MONTH).toFixed(2)}`;
const sum = (pick: (line: Line) => number) => lines.reduce((total, line) => total + pick(line), 0);

console.log(
  `\ncost report: ${days} days of history (${historyRows} rows), simulated day ${SIMULATED_DAY} (${dayRows} rows landed in ${EXPORT_EVERY_MINUTES}-min loads); ${definition.workflows.length} workflows; ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  `price $${config.price}/TiB, minimum ${mib(config.minimum)} MiB billed per table referenced; bytes are estimates of BigQuery on-demand billing\n`,
);
console.log(
  '| query | range (days) | bytes read, full scan | bytes read, partition filter | filtered / full | requests | jobs | app-cache hits | hit rate |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const line of lines) {
  console.log(
    `| ${line.name} | ${line.days} | ${bytes(line.full)} | ${bytes(line.filtered)} | ${pct(line.filtered, line.full)} | ${line.requests} | ${line.jobs} | ${line.hits} | ${pct(line.hits, line.requests)} |`,
  );
}
const hits = sum((l) => l.hits);
const requests = sum((l) => l.requests);
console.log(
  `| all | | | | | ${requests} | ${sum((l) => l.jobs)} | ${hits} | ${pct(hits, requests)} |`,
);
const oneDay = lines.filter((line) => line.days === 1);
const worstOneDay = Math.max(...oneDay.map((line) => line.filtered / line.full));
console.log('\n| way of querying (this dashboard, 30 days) | billed per day | USD per month |');
console.log('| --- | ---: | ---: |');
console.log(
  `| no partition filter, no cache | ${mib(sum((l) => l.billedFull))} MiB | ${monthly(sum((l) => l.billedFull))} |`,
);
console.log(
  `| partition filter, no cache | ${mib(sum((l) => l.billedFiltered))} MiB | ${monthly(sum((l) => l.billedFiltered))} |`,
);
console.log(
  `| partition filter + application cache (measured) | ${mib(sum((l) => l.billedMeasured))} MiB | ${monthly(sum((l) => l.billedMeasured))} |`,
);
console.log(
  `\none-day queries (${oneDay.map((l) => l.name).join(', ')}) read at most ${(worstOneDay * 100).toFixed(2)}% of a full scan (target <= 2%): ${worstOneDay <= 0.02 ? 'met' : 'NOT met'}`,
);
console.log(
  `application-cache hit rate ${pct(hits, requests)} (target >= 90%): ${hits / requests >= 0.9 ? 'met' : 'NOT met'}`,
);

await app.close();
dir.cleanup();
