import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';
import { timersCheckedUpToNow } from '../support/timers-checked.js';

const PUSH = '/v1/push/prediction-completions';
const DATE = '2026-01-22';
const STALL_MS = 600_000;
const MINUTE_MS = 60_000;
const PLAYERS = Array.from({ length: 20 }, (_, i) => `player-${String(i).padStart(2, '0')}`);

const success = (batchId: string, player: string) => ({
  player_lookup: player,
  game_date: DATE,
  predictions_generated: 5,
  batch_id: batchId,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-1',
});

/** Stall completion by the durable timer, with a controlled clock and no further messages. */
describe('batch stall completion (real app, real SQLite, ManualClock)', () => {
  let clock: ManualClock;
  const apps: TestApp[] = [];
  const dir = makeTempDir('shotclock-batches-stall-');
  beforeEach(() => {
    clock = new ManualClock('2026-01-22T15:00:00.000Z');
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(() => dir.cleanup());

  const start = async (sqlitePath?: string) => {
    const app = await startTestApp(
      { LOG_LEVEL: 'error' },
      { clock, ...(sqlitePath ? { sqlitePath } : {}) },
    );
    apps.push(app);
    return app.app.getHttpServer();
  };
  const view = async (server: unknown, id: string) =>
    (
      await request(server as never)
        .get(`/v1/batches/${id}`)
        .expect(200)
    ).body;
  const completeN = async (server: unknown, id: string, count: number) => {
    for (const player of PLAYERS.slice(0, count)) {
      await request(server as never)
        .post(PUSH)
        .send(pushEnvelope(success(id, player)))
        .expect(204);
    }
    await eventually(
      async () => (await view(server, id)).completed_count === count,
      `${count} completions applied`,
    );
  };
  const stallChecks = async (server: unknown, id: string) =>
    (
      await request(server as never)
        .get(`/v1/streams?prefix=batch-${id}&limit=1`)
        .expect(200)
    ).body.streams[0];
  const caughtUp = (server: unknown) =>
    eventually(async () => {
      const { body } = await request(server as never)
        .get('/v1/projections')
        .expect(200);
      return body.projections.every((p: { lag: number }) => p.lag === 0);
    }, 'projections and reactions caught up');
  /** Lets the timer fire and the projection and reactions act on it before the clock moves again. */
  const settle = async (server: unknown, id: string, version: number) => {
    await eventually(
      async () => (await stallChecks(server, id)).version === version,
      `batch stream at ${version}`,
    );
    await caughtUp(server);
  };
  /** Lets every timer due by the clock's now fire (none due later), and reactions act on it. */
  const quiet = async (server: unknown) => {
    await timersCheckedUpToNow(apps.at(-1)!.app, clock);
    await caughtUp(server);
  };

  it('completes with reason stalled stall-timeout after the last completion, once at least 95% is done', async () => {
    const server = await start();
    const id = 'batch_stall';
    await request(server)
      .post('/v1/batches')
      .send({ batch_id: id, game_date: DATE, expected_players: PLAYERS })
      .expect(201);
    clock.advanceMs(MINUTE_MS);
    await completeN(server, id, 19); // 95% at 15:01

    // The first check (15:10, due stall after creation) finds activity 9 minutes old: not yet.
    clock.advanceMs(STALL_MS - MINUTE_MS);
    await settle(server, id, 3); // BatchCreated, one chunk of expected players, the first check
    // 19 outcomes in the minute after the start: 19 a minute; the one missing takes 1/19 minute.
    expect(await view(server, id)).toMatchObject({
      is_complete: false,
      completion_percentage: 95,
      rate_per_minute: 19,
      estimated_completion_at: new Date(
        Date.parse('2026-01-22T15:10:00.000Z') + MINUTE_MS / 19,
      ).toISOString(),
      stalled: false,
    });

    // The next check is due stall after the last completion (15:11): the batch completes, by itself.
    clock.advanceMs(MINUTE_MS - 1);
    await quiet(server);
    expect((await view(server, id)).is_complete).toBe(false);
    clock.advanceMs(1);
    await eventually(async () => (await view(server, id)).is_complete, 'stall completion');
    expect(await view(server, id)).toMatchObject({
      status: 'complete',
      completion_reason: 'stalled',
      completed_count: 19,
      missing_count: 1,
      completed_at: '2026-01-22T15:11:00.000Z',
      rate_per_minute: 19,
      estimated_completion_at: null,
      stalled: true,
    });
    // The missing players stay readable.
    expect((await request(server).get(`/v1/batches/${id}/missing`).expect(200)).body.items).toEqual(
      [{ player_lookup: 'player-19' }],
    );
    const completed = await request(server).get('/v1/events?type=BatchCompleted').expect(200);
    expect(completed.body.events.map((e: { data: unknown }) => e.data)).toEqual([
      expect.objectContaining({
        reason: 'stalled',
        missing_players: 1,
        completed_players: 19,
        expected_players: 20,
      }),
    ]);
    await eventually(
      async () =>
        (await request(server).get('/v1/outbox?topic=nba-phase5-predictions-complete').expect(200))
          .body.messages.length === 1,
      'phase-5 message',
    );
    const [message] = (
      await request(server).get('/v1/outbox?topic=nba-phase5-predictions-complete').expect(200)
    ).body.messages;
    expect(message.body).toMatchObject({
      status: 'partial',
      metadata: { completion_reason: 'stalled', completion_percentage: 95 },
    });

    // No further checks once complete: time passing changes nothing.
    const version = (await stallChecks(server, id)).version;
    clock.advanceMs(10 * STALL_MS);
    await quiet(server);
    expect((await stallChecks(server, id)).version).toBe(version);
  });

  it('keeps a stalled batch below min_completion_pct running, and completes it once enough is done', async () => {
    const server = await start();
    const id = 'batch_below';
    await request(server)
      .post('/v1/batches')
      .send({ batch_id: id, game_date: DATE, expected_players: PLAYERS })
      .expect(201);
    await completeN(server, id, 18); // 90%
    clock.advanceMs(3 * STALL_MS);
    await settle(server, id, 3); // the first check, which reschedules stall from now
    // Idle for the stall time below its threshold: running, and shown stalled; every outcome
    // came at the start, so there is no rate.
    expect(await view(server, id)).toMatchObject({
      is_complete: false,
      completion_percentage: 90,
      rate_per_minute: null,
      estimated_completion_at: null,
      stalled: true,
    });
    const running = await request(server).get('/v1/batches?status=running').expect(200);
    expect(running.body.items).toEqual([
      expect.objectContaining({ batch_id: id, rate_per_minute: null, stalled: true }),
    ]);

    await request(server)
      .post(PUSH)
      .send(pushEnvelope(success(id, PLAYERS[18]!)))
      .expect(204);
    await eventually(
      async () => (await view(server, id)).completed_count === 19,
      '19th completion',
    );
    expect(await view(server, id)).toMatchObject({
      rate_per_minute: 19 / 30,
      estimated_completion_at: new Date(
        Date.parse('2026-01-22T15:30:00.000Z') + MINUTE_MS * (30 / 19),
      ).toISOString(),
      stalled: false,
    });
    clock.advanceMs(STALL_MS);
    await eventually(async () => (await view(server, id)).is_complete, 'stall completion');
    expect((await view(server, id)).completion_reason).toBe('stalled');
  });

  it('completes a stalled batch after a restart, from the durable timer alone', async () => {
    const sqlitePath = join(dir.path, 'restart.sqlite');
    const id = 'batch_restart';
    let server = await start(sqlitePath);
    await request(server)
      .post('/v1/batches')
      .send({ batch_id: id, game_date: DATE, expected_players: PLAYERS, min_completion_pct: 90 })
      .expect(201);
    await completeN(server, id, 18);
    await apps.pop()!.close();

    // Down while the check came due: the new process fires it at start, and the batch completes.
    clock.advanceMs(STALL_MS);
    server = await start(sqlitePath);
    await eventually(
      async () => (await view(server, id)).is_complete,
      'stall completion after restart',
    );
    expect(await view(server, id)).toMatchObject({
      completion_reason: 'stalled',
      completed_count: 18,
      missing_count: 2,
    });
    await eventually(
      async () =>
        (await request(server).get('/v1/outbox?topic=nba-phase5-predictions-complete').expect(200))
          .body.messages.length === 1,
      'phase-5 message after restart',
    );
  });
});
