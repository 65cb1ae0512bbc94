import { join } from 'node:path';
import { getJson, waitUntil } from '../support/multi-instance-http.js';
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
import { Pusher, type PushStats } from '../support/multi-instance-pusher.js';
import {
  collectionSizes,
  diffSnapshots,
  snapshotPostgres,
  snapshotSqlite,
  type ReadModelSnapshot,
} from '../support/multi-instance-read-models.js';
import {
  createBatches,
  jobLeasesByHolder,
  jobsOffTheirLease,
  leases,
  rebuildAllProjections,
  waitUntilSettled,
} from '../support/multi-instance-service.js';
import { normaliseReadModels } from '../support/multi-instance-normalise.js';
import { buildWorkload } from '../support/multi-instance-workload.js';
import { PHASE3_TOPIC } from '../support/phase-fixtures.js';
import { makeTempDir } from '../support/temp-dir.js';

/** The phase-2 deadline: 15 s after a date's first report (the deadline dates fire mid-run). */
const DEADLINE_MINUTES = 0.25;
const SERVICE_ENV = {
  // Short leases so the survivors take over within seconds of the kill.
  TIMEOUT_LEASE_TTL_MS: '3000',
  TIMEOUT_LEASE_RENEW_MS: '500',
  PHASE2_COMPLETION_TIMEOUT_MINUTES: String(DEADLINE_MINUTES),
};
const PHASE5_TOPIC = 'nba-phase5-predictions-complete';
const CONCURRENCY = 16;
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
    const began = Date.now();
    const postgresEnv = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_MAX: '8',
    };
    const instances = await Promise.all(
      ['i1', 'i2', 'i3'].map((id) =>
        // With PostgreSQL, SQLITE_PATH holds only the embedded analytics sink, one per instance.
        start(id, { ...postgresEnv, SQLITE_PATH: join(dir.path, `${id}-analytics.sqlite`) }),
      ),
    );
    inspector = await SchemaInspector.connect(schema);
    await createBatches(instances, workload);

    const kill: { victim?: { id: string; jobLeases: number; at: number } } = {};
    const pusher = new Pusher(() => instances);
    const lap = laps();
    await pusher.push(workload.plan, {
      concurrency: CONCURRENCY,
      atHalfway: async () => {
        const byHolder = await jobLeasesByHolder(instances[0]!);
        const [holder, count] = [...byHolder].sort((a, b) => b[1] - a[1])[0] ?? [];
        const victim = instances.find((instance) => instance.id === holder);
        if (!victim)
          throw new Error(`no live holder of job leases: ${JSON.stringify([...byHolder])}`);
        expect((await stopInstance(victim, 'SIGKILL')).signal).toBe('SIGKILL');
        kill.victim = { id: victim.id, jobLeases: count!, at: Date.now() };
      },
    });
    const victim = kill.victim;
    if (!victim) throw new Error('the halfway kill did not happen');
    const survivors = instances.filter((instance) => instance.alive());
    expect(survivors).toHaveLength(2);

    expect(victim.jobLeases).toBeGreaterThan(0);
    // Every message was acknowledged (redelivered until it was).
    expect(pusher.stats.acknowledged.size).toBe(workload.messages.length);
    lap('push');

    // The survivors hold every job lease the dead instance held; its liveness lease lapsed.
    const takenOverAt = await waitUntilLeasesTakenOver(survivors[0]!, victim.id);
    lap('lease wait');
    await withOutputsOnFailure(survivors, () =>
      waitUntilSettled(survivors, workload, SETTLE_TIMEOUT_MS),
    );
    lap('settle');
    const db = inspector;
    // Each job runs on its lease holder only (the others report standby). Eventually: a lease
    // that lapsed under load moves, and its old holder stops the job at its next renewal.
    await waitUntil(
      async () => {
        const wrong = await jobsOffTheirLease(survivors);
        return wrong.length === 0 || wrong.join(', ');
      },
      'every job running on its lease holder only',
      10_000,
    );

    // Batches: each counts every one of its players once, and completed once.
    for (const batch of workload.batches) {
      const view = await getJson<Record<string, unknown>>(
        `${survivors[1]!.baseUrl}/v1/batches/${batch.batch_id}`,
      );
      expect(view).toMatchObject({
        batch_id: batch.batch_id,
        status: 'complete',
        completion_reason: 'all_players',
        expected_players: batch.players.length,
        completed_count: batch.players.length,
        failed_count: 0,
        unexpected_count: 0,
        missing_count: 0,
      });
    }
    // The log: exactly one PredictionCompleted per pushed player, none for anybody else.
    const completions = await db.countBy('PredictionCompleted', 'batch_id', 'player_lookup');
    const pushedPlayers = workload.batches.flatMap((b) =>
      b.players.map((p) => `${b.batch_id}/${p}`),
    );
    const pushedSet = new Set(pushedPlayers);
    const notOnce = pushedPlayers
      .filter((key) => completions.get(key) !== 1)
      .map((key) => `${key} x${completions.get(key) ?? 0}`);
    expect({ players: notOnce.length, first: notOnce.slice(0, 5) }).toEqual({
      players: 0,
      first: [],
    });
    expect([...completions.keys()].filter((key) => !pushedSet.has(key))).toEqual([]);
    // The read model: each player reported by one success message.
    const doubled = await db.query(
      `SELECT key FROM read_models WHERE collection = 'batch_players'
         AND ((doc->>'success_messages')::int <> 1 OR doc->>'status' <> 'completed')`,
    );
    expect(doubled).toEqual([]);
    const batchIds = workload.batches.map((b) => b.batch_id).sort();
    expect(sortedEntries(await db.countBy('BatchCompleted', 'batch_id'))).toEqual(
      batchIds.map((id) => [id, 1]),
    );

    // Phases: one trigger per date, by the right reason; deadlines fired once, only where due.
    const dates = [...workload.completeDates, ...workload.deadlineDates].sort();
    expect(sortedEntries(await db.countBy('Phase3Triggered', 'game_date', 'reason'))).toEqual(
      dates.map((date) => [
        `${date}/${workload.deadlineDates.includes(date) ? 'deadline_exceeded' : 'all_complete'}`,
        1,
      ]),
    );
    // A deadline trigger came at or after the deadline, a complete one before it.
    const elapsed = await db.query<{ game_date: string; minutes: number }>(
      `SELECT data->>'game_date' AS game_date, (data->>'minutes_elapsed')::float AS minutes
         FROM events WHERE type = 'Phase3Triggered' ORDER BY 1`,
    );
    expect(elapsed.map((row) => [row.game_date, row.minutes >= DEADLINE_MINUTES])).toEqual(
      dates.map((date) => [date, workload.deadlineDates.includes(date)]),
    );
    expect(sortedEntries(await db.countBy('Phase2DeadlineDue', 'game_date'))).toEqual(
      workload.deadlineDates.map((date) => [date, 1]),
    );
    const timers = await db.query<{ timer_id: string; state: string }>(
      `SELECT timer_id, state FROM timers WHERE timer_id LIKE 'phase2-deadline:%' ORDER BY 1`,
    );
    expect(timers).toEqual(
      dates.map((date) => ({
        timer_id: `phase2-deadline:${date}`,
        state: workload.deadlineDates.includes(date) ? 'fired' : 'cancelled',
      })),
    );
    // No timer left behind: whatever came due has fired.
    expect(
      await db.query(`SELECT timer_id FROM timers WHERE state = 'scheduled' AND due_at_ms <= $1`, [
        Date.now(),
      ]),
    ).toEqual([]);

    // Outbox: one message id per date on the phase-3 topic, one per batch on the phase-5 topic.
    const published = async (topic: string, key: string) =>
      db.query<{ key: string; ids: string; rows: string }>(
        `SELECT ${key} AS key, count(DISTINCT message_id) AS ids, count(*) AS rows
           FROM embedded_messages WHERE topic = $1 GROUP BY 1 ORDER BY 1`,
        [topic],
      );
    const phase3 = await published(PHASE3_TOPIC, "body->>'game_date'");
    expect(phase3.map((row) => [row.key, Number(row.ids)])).toEqual(dates.map((d) => [d, 1]));
    const phase5 = await published(PHASE5_TOPIC, "body->'metadata'->>'batch_id'");
    expect(phase5.map((row) => [row.key, Number(row.ids)])).toEqual(batchIds.map((id) => [id, 1]));
    // Publishing is at least once, but only across the kill: a message published again must have
    // been published first by then (by the killed dispatcher), and again once (by its successor).
    const republished = await db.query<{ message_id: string; rows: string; first: Date }>(
      `SELECT message_id, count(*) AS rows, min(published_at) AS first
         FROM embedded_messages GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(
      republished
        .filter((row) => Number(row.rows) > 2 || row.first.getTime() > victim.at)
        .map((row) => `${row.message_id} x${row.rows}, first at ${row.first.toISOString()}`),
    ).toEqual([]);

    // Read models: identical after every projection is rebuilt from the log.
    const live = await snapshotPostgres(db);
    lap('checks');
    await rebuildAllProjections(survivors, db, SETTLE_TIMEOUT_MS);
    lap('rebuild');
    const rebuilt = await snapshotPostgres(db);
    expect(diffSnapshots(live, rebuilt, ['live', 'rebuilt'])).toEqual([]);
    expect(collectionSizes(live)).toMatchObject({ batch_players: 10_000 });
    postgresReadModels = live;

    summary.push(
      describeRun('postgres x3', pusher.stats, workload.duplicateSends, Date.now() - began),
      `killed ${victim.id} holding ${victim.jobLeases} job leases, all taken over ` +
        `${((takenOverAt - victim.at) / 1000).toFixed(1)} s later`,
      `phases ${lap.report()}`,
      `outbox rows phase3 ${sum(phase3)} phase5 ${sum(phase5)} for ${phase3.length + phase5.length} message ids`,
    );
  }, 180_000);

  it('gives identical read models with one instance on SQLite', async () => {
    if (!postgresReadModels)
      throw new Error('the PostgreSQL run did not finish: nothing to compare');
    const began = Date.now();
    const sqlitePath = join(dir.path, 'single.sqlite');
    const instance = await start('solo', { EVENT_STORE: 'sqlite', SQLITE_PATH: sqlitePath });
    await createBatches([instance], workload);
    const pusher = new Pusher(() => [instance]);
    await pusher.push(workload.plan, { concurrency: CONCURRENCY });
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

  /** Resolves with when the last of the dead instance's job leases was taken (epoch ms). */
  async function waitUntilLeasesTakenOver(survivor: Instance, dead: string): Promise<number> {
    let lastTakenAt = 0;
    await waitUntil(
      async () => {
        const all = await leases(survivor);
        const wrong = all
          .filter((lease) =>
            lease.name === `instance:${dead}`
              ? lease.live
              : !lease.name.startsWith('instance:') && (!lease.live || lease.holder === dead),
          )
          .map((lease) => `${lease.name} ${lease.holder} live=${lease.live}`);
        lastTakenAt = Math.max(...all.map((lease) => Date.parse(lease.acquired_at)));
        return wrong.length === 0 || wrong.join(', ');
      },
      `the survivors holding every lease of ${dead}`,
      SETTLE_TIMEOUT_MS,
    );
    return lastTakenAt;
  }
});

function sortedEntries(map: Map<string, number>): Array<[string, number]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function sum(rows: Array<{ rows: string }>): number {
  return rows.reduce((total, row) => total + Number(row.rows), 0);
}

function describeRun(name: string, stats: PushStats, duplicates: number, ms: number): string {
  return (
    `${name}: ${stats.requests} pushes (${duplicates} duplicates, ${stats.concurrentPairs} ` +
    `concurrent pairs, ${stats.replayed} answered as replays), ${stats.redeliveries} ` +
    `redeliveries (${stats.noAnswer} unanswered), ` +
    `statuses ${JSON.stringify(stats.statuses)}, ${(ms / 1000).toFixed(1)} s`
  );
}

/** Durations of the steps of a run, for the summary line. */
function laps() {
  let last = Date.now();
  const done: string[] = [];
  const lap = (name: string) => {
    done.push(`${name} ${((Date.now() - last) / 1000).toFixed(1)} s`);
    last = Date.now();
  };
  lap.report = () => done.join(', ');
  return lap;
}
