import { join } from 'node:path';
import {
  freshSchemaName,
  SchemaInspector,
  TEST_DATABASE_URL,
} from '../support/multi-instance-postgres.js';
import {
  startInstance,
  stopInstance,
  withOutputsOnFailure,
  type Instance,
} from '../support/multi-instance-process.js';
import {
  describeRun,
  proveThreeInstances,
  PUSH_CONCURRENCY,
} from '../support/multi-instance-proof.js';
import { Pusher } from '../support/multi-instance-pusher.js';
import {
  collectionSizes,
  diffSnapshots,
  snapshotSqlite,
  type ReadModelSnapshot,
} from '../support/multi-instance-read-models.js';
import { createBatches, waitUntilSettled } from '../support/multi-instance-service.js';
import { normaliseReadModels } from '../support/multi-instance-normalise.js';
import { buildWorkload } from '../support/multi-instance-workload.js';
import { makeTempDir } from '../support/temp-dir.js';

/** The phase-2 deadline: 15 s after a date's first report (the deadline dates fire mid-run). */
const DEADLINE_MINUTES = 0.25;
const SERVICE_ENV = {
  // Short leases so the survivors take over within seconds of the kill.
  TIMEOUT_LEASE_TTL_MS: '3000',
  TIMEOUT_LEASE_RENEW_MS: '500',
  PHASE2_COMPLETION_TIMEOUT_MINUTES: String(DEADLINE_MINUTES),
};
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * Issue #6: three real service processes on one PostgreSQL schema take 10,000 prediction
 * completions and the phase-2 reports of six dates, pushed round-robin with 30% duplicates (some
 * to two instances at once); the instance holding most leases is SIGKILLed halfway and what it
 * left unanswered is redelivered. Then: no effect lost or doubled, each phase triggered once, each
 * deadline timer fired once, read models equal to a rebuild, and equal to a one-instance SQLite run.
 */
describe('three instances on one PostgreSQL database, one SIGKILLed halfway', () => {
  const workload = buildWorkload();
  const schema = freshSchemaName('multi_instance');
  const dir = makeTempDir('shotclock-multi-instance-');
  const started: Instance[] = [];
  let inspector: SchemaInspector | null = null;
  let postgresReadModels: ReadModelSnapshot | null = null;
  const summary: string[] = [];

  // Children, the schema and the SQLite file go whatever happened (the schema only once no child
  // writes to it any more).
  afterAll(async () => {
    try {
      await Promise.all(started.map((instance) => stopInstance(instance, 'SIGKILL')));
      inspector ??= await SchemaInspector.connect(schema);
      await inspector.dropAndClose();
    } finally {
      dir.cleanup();
      if (summary.length > 0) console.log(`multi-instance proof: ${summary.join('; ')}`);
    }
  }, 30_000);

  const start = async (id: string, env: Record<string, string>) => {
    const instance = await startInstance(id, { ...SERVICE_ENV, ...env });
    started.push(instance);
    return instance;
  };

  it('compares read models across stores without hiding real differences', () => {
    // A small PostgreSQL-like and SQLite-like pair: same facts, other positions and times.
    const pgPositions = [
      '0000000000000000012300000000000000000007',
      '0000000000000000012900000000000000000042',
    ];
    const sqlitePositions = ['0000000000000007', '0000000000000042'];
    const snapshot = (positions: string[], at: string, overrides: Record<string, unknown> = {}) =>
      new Map<string, unknown>([
        [`alerts_by_order/${positions[0]}`, { id: 'a' }],
        [`alerts_by_order/${positions[1]}`, { id: 'b' }],
        ['alerts/a', { position: positions[0], raised_at: at, details: { minutes_elapsed: 0.26 } }],
        [
          'batches/b1',
          {
            status: 'complete',
            completed_count: 2500,
            started_at: at,
            completed_at: at,
            reason: 'all_players',
            player: 'player-0-0001',
            ...overrides,
          },
        ],
      ]);
    const compare = (left: ReadModelSnapshot, right: ReadModelSnapshot) =>
      diffSnapshots(
        normaliseReadModels(left, DEADLINE_MINUTES),
        normaliseReadModels(right, DEADLINE_MINUTES),
        ['left', 'right'],
      );
    const pg = snapshot(pgPositions, '2026-11-29T11:00:00.000Z');
    expect(compare(pg, snapshot(sqlitePositions, '2026-11-29T12:34:56.789Z'))).toEqual([]);
    // Counts, statuses, done vs not done, reasons, ids and the order of positions still differ.
    for (const overrides of [
      { completed_count: 2499 },
      { status: 'running' },
      { completed_at: null },
      { reason: 'stalled' },
      { player: 'player-0-0002' },
    ]) {
      expect(
        compare(pg, snapshot(pgPositions, '2026-11-29T11:00:00.000Z', overrides)),
      ).toHaveLength(1);
    }
    expect(
      compare(pg, snapshot([...sqlitePositions].reverse(), '2026-11-29T11:00:00.000Z')),
    ).not.toEqual([]);
    const early = snapshot(pgPositions, '2026-11-29T11:00:00.000Z');
    early.set('alerts/a', {
      position: pgPositions[0],
      raised_at: 'x',
      details: { minutes_elapsed: 0.1 },
    });
    expect(compare(pg, early)).toHaveLength(1);
  });

  it('loses no effect, doubles none, triggers each phase once and fires each timer once', async () => {
    const postgresEnv = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_MAX: '8',
    };
    inspector = await SchemaInspector.connect(schema);
    const { live, summary: lines } = await proveThreeInstances({
      name: 'postgres',
      workload,
      // With PostgreSQL, SQLITE_PATH holds only the embedded analytics sink, one per instance.
      start: (id) =>
        start(id, { ...postgresEnv, SQLITE_PATH: join(dir.path, `${id}-analytics.sqlite`) }),
      db: inspector,
      deadlineMinutes: DEADLINE_MINUTES,
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
    });
    expect(collectionSizes(live)).toMatchObject({ batch_players: 10_000 });
    postgresReadModels = live;
    summary.push(...lines);
  }, 180_000);

  it('gives identical read models with one instance on SQLite', async () => {
    if (!postgresReadModels)
      throw new Error('the PostgreSQL run did not finish: nothing to compare');
    const began = Date.now();
    const sqlitePath = join(dir.path, 'single.sqlite');
    const instance = await start('solo', { EVENT_STORE: 'sqlite', SQLITE_PATH: sqlitePath });
    await createBatches([instance], workload);
    const pusher = new Pusher(() => [instance]);
    await pusher.push(workload.plan, { concurrency: PUSH_CONCURRENCY });
    await withOutputsOnFailure([instance], () =>
      waitUntilSettled([instance], workload, SETTLE_TIMEOUT_MS),
    );
    await stopInstance(instance, 'SIGTERM');
    const sqliteReadModels = snapshotSqlite(sqlitePath);
    summary.push(
      describeRun('sqlite x1', pusher.stats, workload.duplicateSends, Date.now() - began),
    );

    expect(
      diffSnapshots(
        normaliseReadModels(postgresReadModels, DEADLINE_MINUTES),
        normaliseReadModels(sqliteReadModels, DEADLINE_MINUTES),
        ['postgres', 'sqlite'],
      ),
    ).toEqual([]);
  }, 120_000);
});
