import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ManualClock } from '../../src/common/clock/clock.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestAppOn, TEST_STORES, type TestStore } from '../support/test-app-on-store.js';
import type { TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const PLAYERS = ['a', 'b', 'c', 'd', 'e'];
const MESSAGES = 60;

/**
 * A player counts once toward completion, however many failure messages (each with its own
 * message id, so none is a duplicate delivery) it sends; and failures never count past the
 * batch's size (the outside report: a batch of 5 finished with failed_count 720).
 */
describe.each(TEST_STORES)(
  'completion accounting on %s (real app over HTTP)',
  (store: TestStore) => {
    let test: TestApp;
    let server: App;
    beforeEach(async () => {
      test = await startTestAppOn(
        store,
        { LOG_LEVEL: 'error' },
        { clock: new ManualClock('2026-01-22T15:00:00.000Z') },
      );
      server = test.app.getHttpServer() as App;
    });
    afterEach(() => test.close());

    it.each([
      ['an expected list', { expected_players: PLAYERS }],
      ['expected_count only', { expected_count: PLAYERS.length }],
    ])(
      'a batch of 5 (%s) with 60 failure messages of its players: failed_count 5, 100 %%',
      async (_, expected) => {
        await request(server)
          .post('/v1/batches')
          .send({ batch_id: 'b-720', game_date: '2026-01-22', ...expected })
          .expect(201);
        for (let i = 0; i < MESSAGES; i++) {
          const message = {
            player_lookup: PLAYERS[i % PLAYERS.length],
            batch_id: 'b-720',
            status: 'failed',
            error_message: `attempt ${i}`,
          };
          await request(server)
            .post('/v1/push/prediction-completions')
            .send(pushEnvelope(message, { messageId: `fail-${i}` }))
            .expect(204);
        }
        const failures = async () =>
          (await request(server).get('/v1/events?type=PredictionFailed&limit=1000').expect(200))
            .body.events.length as number;
        expect(await failures()).toBe(MESSAGES);
        await eventually(
          async () =>
            (
              await request(server).get('/v1/batches/b-720/completions?limit=1000').expect(200)
            ).body.items.every(
              (player: { failure_messages: number }) =>
                player.failure_messages === MESSAGES / PLAYERS.length,
            ),
          'every failure applied',
          15_000,
        );
        const batch = (await request(server).get('/v1/batches/b-720').expect(200)).body;
        expect(batch).toMatchObject({
          expected_players: 5,
          completed_count: 0,
          failed_count: 5,
          missing_count: 0,
          completion_percentage: 100,
          is_complete: true,
          completion_reason: 'all_players',
        });
      },
    );

    it('a count-only batch of 5 failed by 60 distinct players counts 5 failures and 55 unexpected', async () => {
      await request(server)
        .post('/v1/batches')
        .send({ batch_id: 'b-strangers', game_date: '2026-01-22', expected_count: 5 })
        .expect(201);
      for (let i = 0; i < MESSAGES; i++) {
        const message = {
          player_lookup: `stranger-${i}`,
          batch_id: 'b-strangers',
          status: 'failed',
          error_message: 'no features',
        };
        await request(server)
          .post('/v1/push/prediction-completions')
          .send(pushEnvelope(message))
          .expect(204);
      }
      await eventually(
        async () =>
          (await request(server).get('/v1/batches/b-strangers').expect(200)).body
            .unexpected_count ===
          MESSAGES - 5,
        'every failure applied',
        15_000,
      );
      expect((await request(server).get('/v1/batches/b-strangers').expect(200)).body).toMatchObject(
        {
          expected_players: 5,
          failed_count: 5,
          unexpected_count: MESSAGES - 5,
          completion_percentage: 100,
        },
      );
    });
  },
);
