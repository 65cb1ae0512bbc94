import { DatabaseSync } from 'node:sqlite';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const DATE = '2026-01-22';

describe('POST /v1/batches and the batch read API (real app, real SQLite)', () => {
  let test: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock('2026-01-22T12:00:00.000Z');
    // 4xx answers are the point of several cases here; only errors would be news.
    test = await startTestApp({ LOG_LEVEL: 'error' }, { clock });
  });
  afterEach(() => test.close());
  const server = () => test.app.getHttpServer();
  const create = (body: Record<string, unknown>) =>
    request(server()).post('/v1/batches').send(body);

  it('creates a batch with the default id and answers 201 with its progress view', async () => {
    const res = await create({
      game_date: DATE,
      expected_players: ['lebron-james', 'stephen-curry'],
    }).expect(201);
    expect(res.body).toEqual({
      batch_id: 'batch_2026-01-22_1769083200',
      game_date: DATE,
      status: 'running',
      expected_players: 2,
      completed_count: 0,
      failed_count: 0,
      unexpected_count: 0,
      missing_count: 2,
      total_predictions: 0,
      completion_percentage: 0,
      is_complete: false,
      completion_reason: null,
      started_at: '2026-01-22T12:00:00.000Z',
      last_completion_at: null,
      completed_at: null,
      correlation_id: 'batch_2026-01-22_1769083200',
      min_completion_pct: 95,
      has_expected_list: true,
      forced: false,
      source: 'api',
      rate_per_minute: null,
      estimated_completion_at: null,
      stalled: false,
    });
    const got = await request(server()).get('/v1/batches/batch_2026-01-22_1769083200').expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('answers 409 with the running batch while one runs for the date, and allows a second with force', async () => {
    await create({ batch_id: 'first', game_date: DATE, expected_count: 10 }).expect(201);
    const busy = await create({ batch_id: 'second', game_date: DATE, expected_count: 10 }).expect(
      409,
    );
    expect(busy.body).toMatchObject({ running_batch_id: 'first', running_batch_ids: ['first'] });
    expect(busy.body.message).toContain('force');

    const exists = await create({
      batch_id: 'first',
      game_date: '2026-01-23',
      expected_count: 1,
    }).expect(409);
    expect(exists.body).toMatchObject({ batch_id: 'first' });
    expect(exists.body.message).toContain('already exists');

    const forced = await create({
      batch_id: 'second',
      game_date: DATE,
      expected_count: 10,
      force: true,
    }).expect(201);
    expect(forced.body).toMatchObject({ batch_id: 'second', forced: true });
    await create({ batch_id: 'other-day', game_date: '2026-01-23', expected_count: 10 }).expect(
      201,
    );
  });

  it('lets exactly one of concurrent creations for a date win', async () => {
    const answers = await Promise.all(
      ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) =>
        create({ batch_id: id, game_date: DATE, expected_count: 2 }),
      ),
    );
    const created = answers.filter((res) => res.status === 201);
    expect(created).toHaveLength(1);
    const winner = created[0]!.body.batch_id as string;
    expect(
      answers.filter((res) => res.status === 409).map((res) => res.body.running_batch_id),
    ).toEqual([winner, winner, winner, winner]);
    const listed = await request(server()).get(`/v1/batches?game_date=${DATE}`).expect(200);
    expect(listed.body.items.map((batch: { batch_id: string }) => batch.batch_id)).toEqual([
      winner,
    ]);
  });

  it('answers 400 naming the field for bad input', async () => {
    const problems = async (body: Record<string, unknown>) =>
      (
        (await create(body).expect(400)).body.issues as Array<{ field: string; problem: string }>
      ).map((issue) => issue.field);
    expect(await problems({ game_date: DATE })).toEqual(['expected_players']);
    expect(await problems({ game_date: DATE, expected_players: ['a'], expected_count: 1 })).toEqual(
      ['expected_count'],
    );
    expect(await problems({ game_date: '2026-02-30', expected_count: 1 })).toEqual(['game_date']);
    expect(await problems({ game_date: DATE, expected_count: 0 })).toEqual(['expected_count']);
    expect(await problems({ game_date: DATE, expected_players: ['LeBron James'] })).toEqual([
      'expected_players.0',
    ]);
    expect(await problems({ game_date: DATE, expected_count: 1, batch_id: 'a/b' })).toEqual([
      'batch_id',
    ]);
    expect(await problems({ game_date: DATE, expected_count: 1, batch_id: 'x-player-y' })).toEqual([
      'batch_id',
    ]);
    expect(await problems({ game_date: DATE, expected_count: 1, min_completion_pct: 0 })).toEqual([
      'min_completion_pct',
    ]);
    expect(await problems({ game_date: DATE, expected_count: 1, expected_player: ['a'] })).toEqual([
      '(body)',
    ]);

    const duplicate = await create({ game_date: DATE, expected_players: ['a', 'b', 'a'] }).expect(
      400,
    );
    expect(duplicate.body.issues).toEqual([
      {
        field: 'expected_players.2',
        problem: 'duplicate of expected_players.0 (a); list each player once',
      },
    ]);
    const manyBad = await create({
      game_date: DATE,
      expected_players: Array.from({ length: 50_000 }, (_, i) => (i % 2 ? `Player ${i}` : i)),
    }).expect(400);
    expect(manyBad.body.issues).toHaveLength(10);
    expect(manyBad.body.issues[0]).toEqual({
      field: 'expected_players.0',
      problem: "must be a lowercase player id (a-z, 0-9, . _ ' -, at most 128 characters), got 0",
    });
    await request(server()).get('/v1/batches').expect(200, { items: [], next: null });
  });

  it('accepts a list far over BODY_LIMIT_BYTES on this route only', async () => {
    const players = Array.from({ length: 200_000 }, (_, i) => `player-number-${i}`);
    const res = await create({
      batch_id: 'big',
      game_date: DATE,
      expected_players: players,
    }).expect(201);
    expect(res.body).toMatchObject({ expected_players: 200_000, missing_count: 200_000 });
    const missingPage = () => request(server()).get('/v1/batches/big/missing?limit=3');
    await eventually(
      async () => (await missingPage()).status === 200,
      'batch-progress applied the list',
      30_000,
    );
    const missing = await missingPage().expect(200);
    expect(missing.body).toEqual({
      items: [
        { player_lookup: 'player-number-0' },
        { player_lookup: 'player-number-1' },
        { player_lookup: 'player-number-10' },
      ],
      next: 'player-number-10',
    });
  });

  it('lists batches by game date and status with cursor pagination, and 404s unknown ids', async () => {
    for (const [id, date] of [
      ['b1', '2026-01-20'],
      ['b2', '2026-01-21'],
      ['b3', '2026-01-21'],
    ] as const) {
      await create({ batch_id: id, game_date: date, expected_count: 3, force: true }).expect(201);
    }
    const ids = (res: request.Response) =>
      (res.body.items as Array<{ batch_id: string }>).map((b) => b.batch_id);

    const first = await request(server()).get('/v1/batches?limit=2').expect(200);
    expect([ids(first), first.body.next]).toEqual([['b1', 'b2'], 'b2']);
    const second = await request(server())
      .get(`/v1/batches?limit=2&cursor=${first.body.next}`)
      .expect(200);
    expect([ids(second), second.body.next]).toEqual([['b3'], null]);

    expect(
      ids(await request(server()).get('/v1/batches?game_date=2026-01-21').expect(200)),
    ).toEqual(['b2', 'b3']);
    const running = await request(server()).get('/v1/batches?status=running&limit=1').expect(200);
    expect([ids(running), running.body.next]).toEqual([['b1'], '2026-01-20/b1']);
    const runningNext = await request(server())
      .get(`/v1/batches?status=running&limit=5&cursor=${running.body.next}`)
      .expect(200);
    expect(ids(runningNext)).toEqual(['b2', 'b3']);
    expect(ids(await request(server()).get('/v1/batches?status=complete').expect(200))).toEqual([]);
    expect(
      ids(
        await request(server()).get('/v1/batches?status=running&game_date=2026-01-20').expect(200),
      ),
    ).toEqual(['b1']);

    const badQuery = await request(server()).get('/v1/batches?status=done').expect(400);
    expect(badQuery.body.issues[0].field).toBe('status');
    const unknown = await request(server()).get('/v1/batches/nope').expect(404);
    expect(unknown.body.message).toContain('nope');
    await request(server()).get('/v1/batches/nope/completions').expect(404);
    await request(server()).get('/v1/batches/nope/missing').expect(404);

    const countOnly = await request(server()).get('/v1/batches/b1/missing').expect(409);
    expect(countOnly.body.message).toContain('expected_count only');
  });

  it('answers 503 with Retry-After while another process holds the store, then creates the batch', async () => {
    await test.close();
    test = await startTestApp({ LOG_LEVEL: 'fatal', TIMEOUT_STORE_BUSY_MS: '50' }, { clock });
    const blocker = new DatabaseSync(test.sqlitePath);
    blocker.exec('BEGIN IMMEDIATE');
    const busy = await create({ batch_id: 'b-busy', game_date: DATE, expected_count: 3 });
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.body.message).toContain('event store unavailable');
    await create({ batch_id: 'b-busy', game_date: DATE, expected_count: 3 }).expect(201);
  });
});
