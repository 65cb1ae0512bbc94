import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { makeTempDir } from '../../../../test/support/temp-dir.js';
import type { DecisionRow } from '../analytics-rows.js';
import { EmbeddedAnalyticsSink, BytesBilledLimitExceededError } from './embedded-analytics.sink.js';
import { MIN_BILLED_BYTES_PER_TABLE } from './bigquery-bytes.estimator.js';

const DATASET = 'nba_orchestration';
const decision = (id: string, time: string, action = 'RUN'): DecisionRow => ({
  decision_id: id,
  decision_time: time,
  workflow_name: 'morning_operations',
  action,
  reason: 'In window',
  context: '{"hour_key":"2026-01-22T07"}',
  scrapers_triggered: ['nbac_schedule', 'espn_roster'],
  target_games: [],
  next_check_time: null,
  priority: 'CRITICAL',
  alert_level: 'info',
  controller_version: '1.0.0',
  environment: 'production',
  triggered_by: 'controller',
  created_at: time,
});

describe('EmbeddedAnalyticsSink (real SQLite file)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let path: string;
  const sinks: EmbeddedAnalyticsSink[] = [];
  const open = () => {
    const sink = new EmbeddedAnalyticsSink({ path, busyTimeoutMs: 50, dataset: DATASET });
    sinks.push(sink);
    return sink;
  };

  beforeEach(() => {
    dir = makeTempDir('shotclock-sink-');
    path = join(dir.path, 'shotclock.sqlite');
  });
  afterEach(() => {
    for (const sink of sinks.splice(0)) sink.close();
    dir.cleanup();
  });

  it('creates the tables once, then reports them unchanged', async () => {
    expect(await open().ensureTables()).toEqual([
      { table: 'workflow_decisions', outcome: 'created', detail: null },
      { table: 'workflow_executions', outcome: 'created', detail: null },
    ]);
    expect((await open().ensureTables()).map((report) => report.outcome)).toEqual([
      'unchanged',
      'unchanged',
    ]);
  });

  it('adds missing columns to an older table', async () => {
    const db = new DatabaseSync(path);
    db.exec(
      `CREATE TABLE "${DATASET}__workflow_executions" (execution_id TEXT PRIMARY KEY, execution_time TEXT NOT NULL, workflow_name TEXT, status TEXT)`,
    );
    db.close();
    const [, executions] = await open().ensureTables();
    expect(executions).toMatchObject({ table: 'workflow_executions', outcome: 'columns_added' });
    expect(executions!.detail).toContain('scrapers_requested');
  });

  it('reports a table keyed differently as a mismatch and refuses to load into it', async () => {
    const db = new DatabaseSync(path);
    db.exec(
      `CREATE TABLE "${DATASET}__workflow_decisions" (rowid_alias INTEGER PRIMARY KEY, decision_id TEXT, decision_time TEXT)`,
    );
    db.close();
    const sink = open();
    const [decisions] = await sink.ensureTables();
    expect(decisions).toMatchObject({ outcome: 'mismatch' });
    expect(decisions!.detail).toContain('primary key is (rowid_alias), expected (decision_id)');
    await expect(
      sink.load('workflow_decisions', [decision('a', '2026-01-22T12:00:00.000Z')]),
    ).rejects.toThrow(/does not have the production layout/);
  });

  it('replaces a row with the same natural id (a replay never duplicates)', async () => {
    const sink = open();
    await sink.load('workflow_decisions', [decision('a', '2026-01-22T12:00:00.000Z', 'RUN')]);
    const result = await sink.load('workflow_decisions', [
      decision('a', '2026-01-22T12:00:00.000Z', 'SKIP'),
      decision('b', '2026-01-22T13:00:00.000Z'),
    ]);
    expect(result).toMatchObject({ rows: 2, statistics: { estimated: true, totalBytesBilled: 0 } });
    expect(result.bytes).toBeGreaterThan(0);
    const { rows } = await sink.query({
      name: 'all',
      sql: 'SELECT decision_id, action, scrapers_triggered FROM {dataset}.workflow_decisions ORDER BY decision_id',
      params: {},
      labels: {},
      maximumBytesBilled: MIN_BILLED_BYTES_PER_TABLE,
    });
    expect(rows).toEqual([
      { decision_id: 'a', action: 'SKIP', scrapers_triggered: '["nbac_schedule","espn_roster"]' },
      { decision_id: 'b', action: 'RUN', scrapers_triggered: '["nbac_schedule","espn_roster"]' },
    ]);
  });

  it('estimates bytes of the referenced columns in the partitions of the range, billing 10 MiB at least', async () => {
    const sink = open();
    await sink.load('workflow_decisions', [
      decision('a', '2026-01-21T12:00:00.000Z', 'RUN'),
      decision('b', '2026-01-22T12:00:00.000Z', 'SKIP'),
      decision('c', '2026-01-23T12:00:00.000Z', 'SKIP'),
    ]);
    const result = await sink.query({
      name: 'actions_of_day',
      sql: 'SELECT action, COUNT(*) AS n FROM {dataset}.workflow_decisions WHERE DATE(decision_time) = @day GROUP BY action',
      params: { day: '2026-01-22' },
      labels: { module: 'cost' },
      maximumBytesBilled: MIN_BILLED_BYTES_PER_TABLE,
    });
    expect(result.rows).toEqual([{ action: 'SKIP', n: 1 }]);
    // One row of one partition: action 'SKIP' (2 + 4) + decision_time (8).
    expect(result.statistics).toMatchObject({
      totalBytesProcessed: 2 + 4 + 8,
      totalBytesBilled: MIN_BILLED_BYTES_PER_TABLE,
      estimated: true,
      cacheHit: false,
    });
  });

  it('fails a query whose estimate bills more than maximumBytesBilled', async () => {
    await expect(
      open().query({
        name: 'too_big',
        sql: 'SELECT COUNT(*) FROM {dataset}.workflow_decisions',
        params: {},
        labels: {},
        maximumBytesBilled: MIN_BILLED_BYTES_PER_TABLE - 1,
      }),
    ).rejects.toThrow(BytesBilledLimitExceededError);
  });

  it('answers a dry run with statistics and no rows', async () => {
    const sink = open();
    await sink.load('workflow_decisions', [decision('a', '2026-01-21T12:00:00.000Z')]);
    const result = await sink.query({
      name: 'dry',
      sql: 'SELECT action FROM {dataset}.workflow_decisions',
      params: {},
      labels: {},
      maximumBytesBilled: MIN_BILLED_BYTES_PER_TABLE,
      dryRun: true,
    });
    expect(result.rows).toEqual([]);
    expect(result.statistics.totalBytesProcessed).toBe(2 + 3);
  });
});
