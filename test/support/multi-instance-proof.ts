import { waitUntil, getJson } from './multi-instance-http.js';
import type { PublishedRow, StoreInspector } from './multi-instance-inspector.js';
import { stopInstance, withOutputsOnFailure, type Instance } from './multi-instance-process.js';
import { Pusher, type PushStats } from './multi-instance-pusher.js';
import {
  collectionSizes,
  diffSnapshots,
  type ReadModelSnapshot,
} from './multi-instance-read-models.js';
import {
  createBatches,
  jobLeasesByHolder,
  jobsOffTheirLease,
  leases,
  rebuildAllProjections,
  waitUntilSettled,
} from './multi-instance-service.js';
import type { Workload } from './multi-instance-workload.js';
import { PHASE3_TOPIC } from './phase-fixtures.js';

export const PHASE5_TOPIC = 'nba-phase5-predictions-complete';
/** Pushes in flight at once. */
export const PUSH_CONCURRENCY = 16;

export interface ThreeInstanceRun {
  /** Names the store in the summary (`postgres`, `firestore`). */
  name: string;
  workload: Workload;
  /** Starts an instance on the shared store (the caller stops every instance it started). */
  start(id: string): Promise<Instance>;
  /** Reads the shared store directly. */
  db: StoreInspector;
  /** The phase-2 deadline the instances run with (PHASE2_COMPLETION_TIMEOUT_MINUTES). */
  deadlineMinutes: number;
  settleTimeoutMs: number;
  /** How long rebuilding every projection may take (default settleTimeoutMs). */
  rebuildTimeoutMs?: number;
}

/**
 * Issue #6's proof, on any shared store: three real service processes take the workload's
 * prediction completions and phase-2 reports, pushed round-robin with duplicates (some to two
 * instances at once); the instance holding most leases is SIGKILLed halfway and what it left
 * unanswered is redelivered. Then: no effect lost or doubled, each phase triggered once, each
 * deadline timer fired once, read models equal to a rebuild. Resolves with the live read models
 * and a summary of the run.
 */
export async function proveThreeInstances(
  run: ThreeInstanceRun,
): Promise<{ live: ReadModelSnapshot; summary: string[] }> {
  const { name, workload, start, db, settleTimeoutMs } = run;
  const began = Date.now();
  const instances = await Promise.all(['i1', 'i2', 'i3'].map((id) => start(id)));
  await createBatches(instances, workload);

  const kill: { victim?: { id: string; jobLeases: number; at: number } } = {};
  const pusher = new Pusher(() => instances);
  const lap = laps();
  await pusher.push(workload.plan, {
    concurrency: PUSH_CONCURRENCY,
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
  const takenOverAt = await withOutputsOnFailure(survivors, () =>
    waitUntilLeasesTakenOver(survivors[0]!, victim.id, settleTimeoutMs),
  );
  lap('lease wait');
  await withOutputsOnFailure(survivors, () =>
    waitUntilSettled(survivors, workload, settleTimeoutMs),
  );
  lap('settle');
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
  const pushedPlayers = workload.batches.flatMap((b) => b.players.map((p) => `${b.batch_id}/${p}`));
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
  const live = await db.readModels();
  const doubled = [...live]
    .filter(([key]) => key.startsWith('batch_players/'))
    .filter(([, doc]) => {
      const player = doc as { success_messages?: unknown; status?: unknown };
      return player.success_messages !== 1 || player.status !== 'completed';
    })
    .map(([key]) => key);
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
  const elapsed = (await db.eventData('Phase3Triggered'))
    .map((data) => ({ game_date: String(data.game_date), minutes: Number(data.minutes_elapsed) }))
    .sort((x, y) => (x.game_date < y.game_date ? -1 : 1));
  expect(elapsed.map((row) => [row.game_date, row.minutes >= run.deadlineMinutes])).toEqual(
    dates.map((date) => [date, workload.deadlineDates.includes(date)]),
  );
  expect(sortedEntries(await db.countBy('Phase2DeadlineDue', 'game_date'))).toEqual(
    workload.deadlineDates.map((date) => [date, 1]),
  );
  const timerIds = dates.map((date) => `phase2-deadline:${date}`);
  const timers = await db.timerStates(timerIds);
  expect(timerIds.map((id) => [id, timers.get(id)])).toEqual(
    dates.map((date) => [
      `phase2-deadline:${date}`,
      workload.deadlineDates.includes(date) ? 'fired' : 'cancelled',
    ]),
  );
  // No timer left behind: whatever came due has fired.
  expect(await db.overdueTimers(Date.now())).toEqual([]);

  // Outbox: one message id per date on the phase-3 topic, one per batch on the phase-5 topic.
  const rows = await db.published();
  const phase3 = publishedPerKey(rows, PHASE3_TOPIC, (body) => field(body, 'game_date'));
  expect(phase3.map((row) => [row.key, row.ids])).toEqual(dates.map((d) => [d, 1]));
  const phase5 = publishedPerKey(rows, PHASE5_TOPIC, (body) =>
    field(field(body, 'metadata'), 'batch_id'),
  );
  expect(phase5.map((row) => [row.key, row.ids])).toEqual(batchIds.map((id) => [id, 1]));
  // Publishing is at least once, but only across the kill: a message published again must have
  // been published first by then (by the killed dispatcher), and again once (by its successor).
  expect(
    republished(rows)
      .filter((row) => row.rows > 2 || row.first.getTime() > victim.at)
      .map((row) => `${row.messageId} x${row.rows}, first at ${row.first.toISOString()}`),
  ).toEqual([]);

  // Read models: identical after every projection is rebuilt from the log.
  lap('checks');
  await rebuildAllProjections(survivors, db, run.rebuildTimeoutMs ?? settleTimeoutMs);
  lap('rebuild');
  const rebuilt = await db.readModels();
  expect(diffSnapshots(live, rebuilt, ['live', 'rebuilt'])).toEqual([]);
  const players = workload.batches.reduce((total, batch) => total + batch.players.length, 0);
  expect(collectionSizes(live)).toMatchObject({ batch_players: players });

  return {
    live,
    summary: [
      describeRun(`${name} x3`, pusher.stats, workload.duplicateSends, Date.now() - began),
      `killed ${victim.id} holding ${victim.jobLeases} job leases, all taken over ` +
        `${((takenOverAt - victim.at) / 1000).toFixed(1)} s later`,
      `phases ${lap.report()}`,
      `outbox rows phase3 ${sum(phase3)} phase5 ${sum(phase5)} for ${phase3.length + phase5.length} message ids`,
    ],
  };
}

/** Resolves with when the last of the dead instance's job leases was taken (epoch ms). */
async function waitUntilLeasesTakenOver(
  survivor: Instance,
  dead: string,
  timeoutMs: number,
): Promise<number> {
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
    timeoutMs,
  );
  return lastTakenAt;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** Per key of a topic's messages: distinct message ids and rows (publishes), by key. */
function publishedPerKey(
  rows: readonly PublishedRow[],
  topic: string,
  keyOf: (body: unknown) => unknown,
): Array<{ key: string; ids: number; rows: number }> {
  const byKey = new Map<string, { ids: Set<string>; rows: number }>();
  for (const row of rows.filter((r) => r.topic === topic)) {
    const key = String(keyOf(row.body));
    const entry = byKey.get(key) ?? { ids: new Set<string>(), rows: 0 };
    entry.ids.add(row.messageId);
    entry.rows += 1;
    byKey.set(key, entry);
  }
  return [...byKey]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, entry]) => ({ key, ids: entry.ids.size, rows: entry.rows }));
}

/** Messages published more than once: how often, and when first. */
function republished(
  rows: readonly PublishedRow[],
): Array<{ messageId: string; rows: number; first: Date }> {
  const byId = new Map<string, { rows: number; first: Date }>();
  for (const row of rows) {
    const entry = byId.get(row.messageId);
    if (!entry) byId.set(row.messageId, { rows: 1, first: row.publishedAt });
    else {
      entry.rows += 1;
      if (row.publishedAt < entry.first) entry.first = row.publishedAt;
    }
  }
  return [...byId]
    .filter(([, entry]) => entry.rows > 1)
    .map(([messageId, entry]) => ({ messageId, ...entry }));
}

function sortedEntries(map: Map<string, number>): Array<[string, number]> {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function sum(rows: ReadonlyArray<{ rows: number }>): number {
  return rows.reduce((total, row) => total + row.rows, 0);
}

export function describeRun(
  name: string,
  stats: PushStats,
  duplicates: number,
  ms: number,
): string {
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
