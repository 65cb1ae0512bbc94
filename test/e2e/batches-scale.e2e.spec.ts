import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PLAYERS = 100_000;
const RERUNS = PLAYERS / 100;
const IN_FLIGHT = 16;
const LOAD_CHILD = join(process.cwd(), '.build/test/crash/batch-completions-load.child.js');
const player = (n: number) => `player-${String(n).padStart(6, '0')}`;

describe('a 100,000-player batch completed through the real push endpoint', () => {
  let test: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    // Durability of each append is not what this measures (the crash tests cover it).
    test = await startTestApp({ SQLITE_SYNCHRONOUS: 'NORMAL', LOG_LEVEL: 'error' });
    await test.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(test.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => test.close());

  it('counts every distinct player once, completes the batch once, and pages through every completion', async () => {
    const server = test.app.getHttpServer();
    const batchId = 'batch_2026-01-22_scale';
    const expected = Array.from({ length: PLAYERS }, (_, n) => player(n));
    await request(server)
      .post('/v1/batches')
      .send({ batch_id: batchId, game_date: '2026-01-22', expected_players: expected })
      .expect(201);
    // The child reads the expected list through /missing: every chunk of it must be applied first.
    const progressLag = async () =>
      (
        (await request(server).get('/v1/projections').expect(200)).body.projections as Array<{
          name: string;
          lag: number;
        }>
      ).find((projection) => projection.name === 'batch-progress')!.lag;
    await eventually(async () => (await progressLag()) === 0, 'expected list applied', 30_000);

    // The load generator runs in its own process (a real Pub/Sub push client would), leaving this
    // process, the service, a core of its own.
    const { stdout } = await promisify(execFile)(process.execPath, [
      LOAD_CHILD,
      baseUrl,
      batchId,
      String(IN_FLIGHT),
    ]);
    const load = JSON.parse(stdout) as {
      listed: number;
      sent: number;
      statuses: Record<string, number>;
      pushMs: number;
    };
    expect(load).toMatchObject({
      listed: PLAYERS,
      sent: PLAYERS + RERUNS,
      statuses: { 204: PLAYERS + RERUNS },
    });

    const view = async () => (await request(server).get(`/v1/batches/${batchId}`).expect(200)).body;
    await eventually(async () => (await view()).is_complete, 'batch complete', 60_000);
    expect(await view()).toMatchObject({
      expected_players: PLAYERS,
      completed_count: PLAYERS,
      failed_count: 0,
      unexpected_count: 0,
      missing_count: 0,
      total_predictions: 5 * PLAYERS,
      completion_percentage: 100,
      completion_reason: 'all_players',
    });
    const completedEvents = await request(server).get('/v1/events?type=BatchCompleted').expect(200);
    expect(completedEvents.body.events).toHaveLength(1);
    expect((await request(server).get(`/v1/batches/${batchId}/missing`).expect(200)).body).toEqual({
      items: [],
      next: null,
    });

    // The completions list pages through every player exactly once; the re-run ones show two messages.
    let cursor: string | null = null;
    let listed = 0;
    let rerun = 0;
    do {
      const page: request.Response = await request(server)
        .get(`/v1/batches/${batchId}/completions?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      listed += page.body.items.length;
      rerun += page.body.items.filter(
        (item: { success_messages: number }) => item.success_messages === 2,
      ).length;
      cursor = page.body.next;
    } while (cursor);
    expect([listed, rerun]).toEqual([PLAYERS, RERUNS]);
    console.log(
      `${load.sent} pushes over HTTP in ${(load.pushMs / 1000).toFixed(1)} s (${Math.round(load.sent / (load.pushMs / 1000))}/s)`,
    );
  }, 180_000);
});
