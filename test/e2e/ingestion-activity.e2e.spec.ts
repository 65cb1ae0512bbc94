import request from 'supertest';
import {
  completion,
  eventsOfType,
  PHASE2_PUSH,
  pushCompletion,
  REQUIRED_REPORTS,
  settled,
} from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { appsOnManualClock } from '../support/apps-on-manual-clock.js';
import { eventually } from '../support/test-timing.js';

const PREDICTIONS_PUSH = '/v1/push/prediction-completions';
const GAME_DATE = '2026-12-03';
const prediction = (player: string, batchId: string) => ({
  player_lookup: player,
  game_date: GAME_DATE,
  predictions_generated: 5,
  batch_id: batchId,
  timestamp: '2026-12-03T10:41:11Z',
  worker_instance: 'prediction-worker-1',
});

/** GET /v1/ingestion/activity over real pushes, a real SQLite log and a manual clock. */
describe('ingestion activity per minute (real app, real SQLite)', () => {
  const apps = appsOnManualClock('2026-12-03T10:40:10.000Z');

  it('counts messages recorded per endpoint once each, quarantined by reason and replays, per minute', async () => {
    const server = await apps.start();
    // 10:40: two phase-2 messages (the first appends its report and the deadline: one message),
    // a redelivery of the second (a duplicate, nothing appended), two unusable messages.
    await pushCompletion(server, completion(GAME_DATE, REQUIRED_REPORTS[0]!));
    const second = pushEnvelope(completion(GAME_DATE, REQUIRED_REPORTS[1]!));
    await request(server).post(PHASE2_PUSH).send(second).expect(204);
    await request(server).post(PHASE2_PUSH).send(second).expect(204);
    const poison = await request(server)
      .post(PREDICTIONS_PUSH)
      .send(pushEnvelope(null, { rawData: '%%%' }))
      .expect(202);
    await request(server)
      .post(PREDICTIONS_PUSH)
      .send(pushEnvelope(null, { rawData: Buffer.from('{not json').toString('base64') }))
      .expect(202);
    expect(await eventsOfType(server, 'Phase2DeadlineScheduled')).toHaveLength(1);

    // 10:41: a completion parked for its unknown batch, replayed (and recorded) once the batch
    // exists; a replay of the poison message that fails again.
    apps.clock.advanceMs(60_000);
    await request(server)
      .post(PREDICTIONS_PUSH)
      .send(pushEnvelope(prediction('player-a', 'batch-activity')))
      .expect(202);
    await request(server)
      .post('/v1/batches')
      .send({
        batch_id: 'batch-activity',
        game_date: GAME_DATE,
        expected_players: ['player-a', 'player-b'],
      })
      .expect(201);
    await eventually(
      async () => (await eventsOfType(server, 'PredictionCompleted')).length === 1,
      'parked completion replayed',
    );
    await request(server)
      .post(`/v1/quarantine/${String(poison.body.quarantine_id)}/replay`)
      .expect(200);
    await settled(server);

    const response = await request(server).get('/v1/ingestion/activity?minutes=3').expect(200);
    const endpoints = { 'phase2-completions': 0, 'prediction-completions': 0 };
    const reasons = { bad_base64: 0, invalid_json: 0, unknown_batch: 0 };
    expect(response.body).toEqual({
      minutes: 3,
      until: '2026-12-03T10:42:00.000Z',
      buckets: [
        { minute: '2026-12-03T10:39Z', accepted: endpoints, quarantined: reasons, replayed: 0 },
        {
          minute: '2026-12-03T10:40Z',
          accepted: { ...endpoints, 'phase2-completions': 2 },
          quarantined: { ...reasons, bad_base64: 1, invalid_json: 1 },
          replayed: 0,
        },
        {
          minute: '2026-12-03T10:41Z',
          accepted: { ...endpoints, 'prediction-completions': 1 },
          quarantined: { ...reasons, unknown_batch: 1 },
          replayed: 2,
        },
      ],
      totals: {
        accepted: { 'phase2-completions': 2, 'prediction-completions': 1 },
        quarantined: { bad_base64: 1, invalid_json: 1, unknown_batch: 1 },
        replayed: 2,
      },
    });

    // The default window is the last hour, zero-filled.
    const hour = await request(server).get('/v1/ingestion/activity').expect(200);
    expect(hour.body.minutes).toBe(60);
    expect(hour.body.buckets).toHaveLength(60);
    expect(hour.body.buckets[0].minute).toBe('2026-12-03T09:42Z');
    expect(hour.body.buckets[59].minute).toBe('2026-12-03T10:41Z');
    expect(hour.body.totals).toEqual(response.body.totals);
  });

  it.each([['0'], ['1441'], ['1.5'], ['abc'], ['']])(
    'answers 400 naming minutes for minutes=%s',
    async (minutes) => {
      const server = await apps.start();
      const response = await request(server)
        .get(`/v1/ingestion/activity?minutes=${minutes}`)
        .expect(400);
      expect(response.body.message).toContain('minutes');
    },
  );

  it('answers 400 for an unknown or repeated parameter', async () => {
    const server = await apps.start();
    await request(server).get('/v1/ingestion/activity?since=5').expect(400);
    await request(server).get('/v1/ingestion/activity?minutes=5&minutes=6').expect(400);
  });
});
