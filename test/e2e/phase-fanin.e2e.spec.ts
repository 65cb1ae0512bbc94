import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import {
  completion,
  eventsOfType,
  PHASE2_PUSH,
  phase2Fixture,
  phase3Messages,
  phaseView,
  phaseViewWhen,
  pushCompletion,
  REQUIRED_NAMES,
  REQUIRED_REPORTS,
  settled,
  TRACKED_REPORTS,
} from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startServiceProcess } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { appsOnManualClock } from '../support/apps-on-manual-clock.js';
import { eventually } from '../support/test-timing.js';

const DATE = '2026-01-22';

/** Phase-2 fan-in over real HTTP, real SQLite and the shipped config/processors.yaml. */
describe('phase 2 -> phase 3 fan-in (real app, real SQLite)', () => {
  const apps = appsOnManualClock('2026-01-22T12:00:00.000Z');
  const start = apps.start;
  const dir = makeTempDir('shotclock-phase-fanin-');
  afterAll(() => dir.cleanup());

  it('takes the real push envelope of the fixture, once, and shows the date in progress', async () => {
    const server = await start();
    const envelope = phase2Fixture.push_envelope;
    await request(server).post(PHASE2_PUSH).send(envelope).expect(204);
    const replay = await request(server).post(PHASE2_PUSH).send(envelope).expect(204);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const view = await phaseViewWhen(
      server,
      DATE,
      (v) => v.status === 'in_progress',
      'first completion applied',
    );
    expect(view).toMatchObject({
      game_date: DATE,
      status: 'in_progress',
      trigger_reason: null,
      partial: null,
      // BdlPlayerBoxscoresProcessor is the tracked p2_bdl_box_scores: shown, never waited for.
      completed_processors: ['p2_bdl_box_scores'],
      missing_processors: REQUIRED_NAMES,
      unexpected_processors: [],
      late_processors: [],
      processors: {
        p2_bdl_box_scores: {
          status: 'success',
          done: true,
          reports: 1,
          reported_names: ['BdlPlayerBoxscoresProcessor'],
          done_by: 'BdlPlayerBoxscoresProcessor',
        },
      },
      first_completion_at: '2026-01-22T12:00:00.000Z',
      deadline_at: '2026-01-22T12:30:00.000Z',
      deadline_enabled: true,
      deadline_reason: null,
      triggered_at: null,
      correlation_id: 'corr-2026-01-22',
    });
    const reported = await eventsOfType(server, 'Phase2ProcessorReported');
    expect(reported).toHaveLength(1);
    expect(reported[0]!.data).toMatchObject({
      processor: 'p2_bdl_box_scores',
      match_rule: 'alias',
      processor_name: 'BdlPlayerBoxscoresProcessor',
      execution_id: 'exec-7f3a',
      record_count: 312,
    });
  });

  it('triggers phase 3 once when every required processor is done, whatever the order, duplicates and unexpected names', async () => {
    const server = await start();
    const [first, ...rest] = REQUIRED_REPORTS;
    await pushCompletion(server, completion(DATE, first!));
    // The same processor again (a retry under a new message id), an unexpected one, a failure,
    // a skipped and a no_data tracked processor and a done one: none of them completes the phase.
    await pushCompletion(server, completion(DATE, first!, { execution_id: 'exec-retry' }));
    await pushCompletion(server, completion(DATE, { processor_name: 'BdlStandingsProcessor' }));
    await pushCompletion(server, completion(DATE, rest[0]!, { status: 'failed' }));
    await pushCompletion(server, completion(DATE, TRACKED_REPORTS[1]!, { status: 'skipped' }));
    await pushCompletion(server, completion(DATE, TRACKED_REPORTS[2]!, { status: 'no_data' }));
    await pushCompletion(server, completion(DATE, TRACKED_REPORTS[0]!));
    // The rest, newest publisher timestamp first, the last required ones concurrently.
    const reversed = [...rest].reverse();
    for (const [i, report] of reversed.slice(0, 2).entries()) {
      await pushCompletion(
        server,
        completion(DATE, report, { timestamp: `${DATE}T12:0${9 - i}:00Z` }),
      );
    }
    await Promise.all(
      reversed
        .slice(2)
        .map((report) => pushCompletion(server, completion(DATE, report, { status: 'partial' }))),
    );

    const view = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'trigger');
    expect(view).toMatchObject({
      status: 'triggered',
      trigger_reason: 'all_complete',
      partial: false,
      trigger_mode: 'trigger',
      missing_processors: [],
      unexpected_processors: ['BdlStandingsProcessor'],
      late_processors: [],
      triggered_at: '2026-01-22T12:00:00.000Z',
    });
    expect(view.completed_processors).toEqual([...REQUIRED_NAMES, 'p2_bdl_box_scores'].sort());
    expect(view.processors.p2_nbacom_schedule).toMatchObject({ status: 'skipped', done: false });
    expect(view.processors.p2_br_season_roster).toMatchObject({ status: 'no_data', done: false });
    expect(view.processors.p2_odds_game_lines).toMatchObject({
      status: 'partial',
      done: true,
      reports: 2,
    });

    await eventually(async () => (await phase3Messages(server)).length === 1, 'phase-3 message');
    const [message] = await phase3Messages(server);
    expect(view.trigger_message_id).toMatch(/^nba-phase3-trigger:/);
    expect(view.trigger_message_id).toBe(message!.messageId);
    // The last two required reports race: whichever completed the fan-in is its parent.
    const parent = message!.body.parent_processor;
    expect([reversed[2]!.processor_name, reversed[3]!.processor_name]).toContain(parent);
    expect(message!.body).toEqual({
      game_date: DATE,
      correlation_id: `corr-${DATE}`,
      trigger_source: 'orchestrator',
      triggered_by: 'shotclock',
      trigger_reason: 'all_complete',
      partial: false,
      completed_processors: [...REQUIRED_NAMES, 'p2_bdl_box_scores'].sort(),
      missing_processors: [],
      expected_processors: REQUIRED_NAMES,
      upstream_processors_count: REQUIRED_NAMES.length,
      timestamp: '2026-01-22T12:00:00.000Z',
      parent_execution_id: `exec-${String(parent)}`,
      parent_processor: parent,
    });

    // Late arrivals are recorded and shown; nothing triggers again, not even the deadline.
    await pushCompletion(server, completion(DATE, TRACKED_REPORTS[1]!));
    await pushCompletion(server, completion(DATE, first!, { execution_id: 'exec-late' }));
    const late = await phaseViewWhen(
      server,
      DATE,
      (v) => (v.late_processors as string[]).length === 2,
      'late reports',
    );
    expect(late.late_processors).toEqual(['p2_bigdataball_pbp', 'p2_nbacom_schedule']);
    expect(late.trigger_reason).toBe('all_complete');
    expect(late.trigger_message_id).toBe(message!.messageId);
    apps.clock.advanceMs(60 * 60_000);
    await apps.timersChecked();
    await settled(server);
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(1);
    expect(await eventsOfType(server, 'Phase2DeadlineDue')).toHaveLength(0);
    expect(await phase3Messages(server)).toHaveLength(1);
    expect(await eventsOfType(server, 'AlertRaised')).toHaveLength(0);
  });

  it('triggers once when the required completions all arrive at the same time', async () => {
    const server = await start();
    // Concurrent deciders of one stream conflict and decide again; a message that loses every
    // attempt answers 500 and Pub/Sub redelivers it (same message id), as done here.
    const deliver = async (envelope: unknown) => {
      for (let attempt = 1; attempt <= 5; attempt++) {
        const response = await request(server)
          .post(PHASE2_PUSH)
          .send(envelope as object);
        if (response.status !== 500) return response.status;
      }
      return 500;
    };
    const statuses = await Promise.all(
      [...REQUIRED_REPORTS, ...REQUIRED_REPORTS].map((report) =>
        deliver(pushEnvelope(completion(DATE, report))),
      ),
    );
    expect(statuses).toEqual(Array(REQUIRED_REPORTS.length * 2).fill(204));
    await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'trigger');
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(1);
    expect(await eventsOfType(server, 'Phase2ProcessorReported')).toHaveLength(
      REQUIRED_REPORTS.length * 2,
    );
    await eventually(async () => (await phase3Messages(server)).length === 1, 'phase-3 message');
  });

  it('in monitor mode records the trigger and alerts, and publishes nothing', async () => {
    const server = await start({ PHASE2_TRIGGER_MODE: 'monitor' });
    for (const report of REQUIRED_REPORTS) await pushCompletion(server, completion(DATE, report));
    const view = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'trigger');
    expect(view).toMatchObject({
      trigger_reason: 'all_complete',
      trigger_mode: 'monitor',
      trigger_message_id: null,
    });
    await eventually(
      async () => (await eventsOfType(server, 'AlertRaised')).length === 1,
      'monitor alert',
    );
    const [alert] = await eventsOfType(server, 'AlertRaised');
    expect(alert!.data).toMatchObject({
      alert_id: `phase3-monitor:${DATE}`,
      kind: 'phase3_trigger_suppressed',
      details: { reason: 'all_complete', partial: false, missing_processors: [] },
    });
    await apps.timersChecked();
    await settled(server);
    expect(await phase3Messages(server)).toHaveLength(0);
  });

  it('triggers by hand once, recorded, and answers 409 naming the existing trigger afterwards', async () => {
    const server = await start();
    const date = '2026-01-23';
    await pushCompletion(server, completion(date, REQUIRED_REPORTS[0]!));
    const created = await request(server)
      .post(`/v1/phases/${date}/trigger`)
      .send({ reason: 'gamebook PDF delayed, proceeding' })
      .expect(201);
    expect(created.body).toMatchObject({
      game_date: date,
      status: 'triggered',
      trigger_reason: 'manual',
      manual_reason: 'gamebook PDF delayed, proceeding',
      partial: true,
      completed_processors: REQUIRED_NAMES.slice(0, 1),
      missing_processors: REQUIRED_NAMES.slice(1),
    });
    const again = await request(server)
      .post(`/v1/phases/${date}/trigger`)
      .send({ reason: 'gamebook PDF delayed, proceeding' })
      .expect(409);
    expect(again.body).toMatchObject({
      message: expect.stringContaining(`phase 3 of ${date} was already triggered`),
      existing_trigger: {
        trigger_reason: 'manual',
        manual_reason: 'gamebook PDF delayed, proceeding',
      },
    });
    await eventually(async () => (await phase3Messages(server)).length === 1, 'phase-3 message');
    const [manualMessage] = await phase3Messages(server);
    // The answer to the trigger and the view name the message the outbox published.
    expect(created.body.trigger_message_id).toBe(manualMessage!.messageId);
    expect((await phaseView(server, date)).trigger_message_id).toBe(manualMessage!.messageId);
    expect(manualMessage!.body).toMatchObject({
      trigger_reason: 'manual',
      partial: true,
      upstream_processors_count: 1,
      parent_execution_id: null,
      parent_processor: null,
    });

    // A date that was never started can be triggered by hand too; one already triggered cannot.
    await request(server).post('/v1/phases/2026-01-24/trigger').send({ reason: 'x' }).expect(201);
    for (const report of REQUIRED_REPORTS)
      await pushCompletion(server, completion('2026-01-25', report));
    await phaseViewWhen(server, '2026-01-25', (v) => v.status === 'triggered', 'all complete');
    const conflict = await request(server)
      .post('/v1/phases/2026-01-25/trigger')
      .send({ reason: 'x' })
      .expect(409);
    expect(conflict.body.existing_trigger.trigger_reason).toBe('all_complete');
  });

  it.each([
    ['no body', undefined, 'reason'],
    ['an empty reason', { reason: '  ' }, 'reason'],
    ['an unknown field', { reason: 'x', force: true }, 'force'],
  ])('answers 400 naming the field for a manual trigger with %s', async (_, body, field) => {
    const server = await start();
    const response = await request(server)
      .post(`/v1/phases/${DATE}/trigger`)
      .send(body)
      .expect(400);
    expect(response.body.message).toContain(field);
  });

  it('lists the dates of a range and validates dates and ranges', async () => {
    const server = await start();
    for (const date of ['2026-01-20', '2026-01-21', '2026-01-23']) {
      await pushCompletion(server, completion(date, REQUIRED_REPORTS[0]!));
    }
    await settled(server);
    const listed = await request(server)
      .get('/v1/phases?from=2026-01-21&to=2026-01-23')
      .expect(200);
    expect(listed.body.items.map((v: { game_date: string }) => v.game_date)).toEqual([
      '2026-01-21',
      '2026-01-23',
    ]);
    expect(listed.body.items[0]).toMatchObject({
      status: 'in_progress',
      trigger_message_id: null,
    });
    expect(await phaseView(server, '2026-02-01')).toMatchObject({
      status: 'not_started',
      completed_processors: [],
      missing_processors: REQUIRED_NAMES,
      first_completion_at: null,
      deadline_at: null,
    });

    const bad = async (query: string, field: string) => {
      const response = await request(server).get(`/v1/phases${query}`).expect(400);
      expect(response.body.message).toContain(field);
    };
    await bad('?from=2026-01-21', 'to');
    await bad('?from=2026-13-01&to=2026-12-31', 'from');
    await bad('?from=2026-01-22&to=2026-01-21', 'to: must not be before from');
    await bad('?from=2025-01-01&to=2026-01-02', 'to: at most 366 days');
    await request(server).get('/v1/phases?from=2025-01-01&to=2025-12-31').expect(200);
    const badDate = await request(server).get('/v1/phases/2026-02-30').expect(400);
    expect(badDate.body.message).toContain('gameDate');
  });

  it('quarantines a message that breaks the schema or belongs to another phase', async () => {
    const server = await start();
    const broken = await request(server)
      .post(PHASE2_PUSH)
      .send(pushEnvelope({ ...completion(DATE, REQUIRED_REPORTS[0]!), execution_id: undefined }))
      .expect(202);
    expect(broken.body).toMatchObject({
      reason: 'schema_violation',
      detail: expect.stringContaining('execution_id'),
    });
    const wrong = await request(server)
      .post(PHASE2_PUSH)
      .send(pushEnvelope(completion(DATE, REQUIRED_REPORTS[0]!, { phase: 'phase_3_analytics' })))
      .expect(202);
    expect(wrong.body).toMatchObject({ reason: 'wrong_phase' });
    expect(await eventsOfType(server, 'Phase2ProcessorReported')).toHaveLength(0);
  });

  it('does not boot with an invalid processors config, naming the file and the problem', async () => {
    const path = join(dir.path, 'bad-processors.yaml');
    writeFileSync(path, 'phases:\n  phase_2_raw:\n    required: [a_one]\n    tracked: [a_one]\n');
    // Nest exits the process when a provider fails at boot: run the real service as a child.
    const started = startServiceProcess({
      PROCESSORS_CONFIG_PATH: path,
      SQLITE_PATH: join(dir.path, 'bad-config.sqlite'),
    });
    await expect(started).rejects.toThrow(/service exited \(1\) before listening/);
    await expect(started).rejects.toThrow(
      `invalid processors config ${path} (PROCESSORS_CONFIG_PATH): phases.phase_2_raw: a_one is both required and tracked`,
    );
  });
});
