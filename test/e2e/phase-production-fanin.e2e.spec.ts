import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import {
  completion,
  eventsOfType,
  PHASE2_PUSH,
  phase3Messages,
  phaseView,
  phaseViewWhen,
  REQUIRED_NAMES,
  settled,
  TRACKED_NAMES,
} from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { makeTempDir } from '../support/temp-dir.js';
import { appsOnManualClock } from '../support/apps-on-manual-clock.js';
import { eventually } from '../support/test-timing.js';

const DATE = '2026-01-22';
const SUBSCRIPTION = 'projects/nba-props-platform/subscriptions/shotclock-phase2';
const ROLLOUT_DAY1 = fileURLToPath(new URL('../../config/rollout-day1.env', import.meta.url));

type Server = Parameters<typeof request>[0];

/** One Pub/Sub message of a production publisher: its class name, status and execution id. */
interface Sent {
  processor_name: string;
  status: string;
  execution_id: string;
}

const envelopeOf = (date: string, sent: Sent) =>
  pushEnvelope(
    completion(
      date,
      { processor_name: sent.processor_name },
      { status: sent.status, execution_id: sent.execution_id },
    ),
    { messageId: `${date}-${sent.execution_id}`, subscription: SUBSCRIPTION },
  );

/** Delivers a message and answers whether Pub/Sub would see it as a replay. */
async function deliver(server: Server, date: string, sent: Sent) {
  const answer = await request(server).post(PHASE2_PUSH).send(envelopeOf(date, sent)).expect(204);
  return answer.headers['idempotent-replayed'] === 'true';
}

/**
 * The shipped config/processors.yaml (production's processor set and class-name alias table) over
 * real HTTP and real SQLite, fed with the class names production publishers send.
 */
describe('phase fan-in with the production processor set (real app, real SQLite)', () => {
  const apps = appsOnManualClock('2026-01-22T12:00:00.000Z');
  const start = apps.start;
  const dir = makeTempDir('shotclock-phase-production-');
  afterAll(() => dir.cleanup());

  it('real class names, every message twice, tracked no_data, a required failure then success: triggered once, all_complete, by the last required success', async () => {
    const server = await start();
    const lastSuccess: Sent = {
      processor_name: 'OddsApiGameLinesBatchProcessor',
      status: 'success',
      execution_id: 'exec-lines-2',
    };
    // Everything before the last required success; p2_odds_game_lines has only failed so far.
    const before: Sent[] = [
      { processor_name: 'BigdataballPbpProcessor', status: 'success', execution_id: 'exec-pbp' },
      {
        processor_name: 'OddsApiGameLinesBatchProcessor',
        status: 'failed',
        execution_id: 'exec-lines-1',
      },
      {
        processor_name: 'BdlPlayerBoxScoresProcessor',
        status: 'no_data',
        execution_id: 'exec-bdl',
      },
      { processor_name: 'OddsApiPropsProcessor', status: 'success', execution_id: 'exec-props' },
      {
        processor_name: 'NbacGamebookPlayerStatsProcessor',
        status: 'success',
        execution_id: 'exec-gamebook',
      },
      // Two class names of one processor: done when either reports done.
      {
        processor_name: 'NbacTeamBoxscoreProcessor',
        status: 'failed',
        execution_id: 'exec-team-box',
      },
      {
        processor_name: 'NbacPlayerBoxscoreProcessor',
        status: 'success',
        execution_id: 'exec-player-box',
      },
      {
        processor_name: 'NbacomScheduleProcessor',
        status: 'success',
        execution_id: 'exec-schedule',
      },
      {
        processor_name: 'BrRostersCurrentProcessor',
        status: 'partial',
        execution_id: 'exec-roster',
      },
    ];
    // Each delivered twice: half of them redelivered at once, the rest after the trigger.
    const redeliverLater: Sent[] = [];
    for (const [i, sent] of before.entries()) {
      expect(await deliver(server, DATE, sent)).toBe(false);
      if (i % 2 === 0) expect(await deliver(server, DATE, sent)).toBe(true);
      else redeliverLater.push(sent);
    }

    await settled(server);
    const waiting = await phaseView(server, DATE);
    expect(waiting).toMatchObject({
      status: 'in_progress',
      required_processors: REQUIRED_NAMES,
      tracked_processors: TRACKED_NAMES,
      missing_processors: ['p2_odds_game_lines'],
      unexpected_processors: [],
    });
    expect(waiting.processors.p2_odds_game_lines).toMatchObject({ status: 'failed', done: false });
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(0);

    expect(await deliver(server, DATE, lastSuccess)).toBe(false);
    expect(await deliver(server, DATE, lastSuccess)).toBe(true);
    const view = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'trigger');
    expect(view).toMatchObject({
      trigger_reason: 'all_complete',
      partial: false,
      trigger_mode: 'trigger',
      missing_processors: [],
      unexpected_processors: [],
      late_processors: [],
      completed_processors: [...REQUIRED_NAMES, 'p2_br_season_roster', 'p2_nbacom_schedule'].sort(),
    });
    expect(view.processors).toMatchObject({
      // Tracked: recorded and shown; its no_data neither completes it nor holds anything up.
      p2_bdl_box_scores: {
        status: 'no_data',
        done: false,
        reported_names: ['BdlPlayerBoxScoresProcessor'],
        done_by: null,
      },
      p2_nbacom_boxscores: {
        status: 'success',
        done: true,
        reports: 2,
        reported_names: ['NbacPlayerBoxscoreProcessor', 'NbacTeamBoxscoreProcessor'],
        done_by: 'NbacPlayerBoxscoreProcessor',
      },
      p2_odds_game_lines: {
        status: 'success',
        done: true,
        reports: 2,
        reported_names: ['OddsApiGameLinesBatchProcessor'],
        done_by: 'OddsApiGameLinesBatchProcessor',
      },
    });

    // Every production class name matched through the alias table; redeliveries recorded nothing.
    const reported = await eventsOfType(server, 'Phase2ProcessorReported');
    expect(reported).toHaveLength(before.length + 1);
    expect(new Set(reported.map((event) => event.data.match_rule))).toEqual(new Set(['alias']));

    await eventually(async () => (await phase3Messages(server)).length === 1, 'phase-3 message');
    const [message] = await phase3Messages(server);
    expect(message!.body).toMatchObject({
      game_date: DATE,
      trigger_reason: 'all_complete',
      partial: false,
      expected_processors: REQUIRED_NAMES,
      missing_processors: [],
      upstream_processors_count: REQUIRED_NAMES.length,
      parent_execution_id: 'exec-lines-2',
      parent_processor: 'OddsApiGameLinesBatchProcessor',
    });

    for (const sent of redeliverLater) expect(await deliver(server, DATE, sent)).toBe(true);
    await settled(server);
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(1);
    expect(await eventsOfType(server, 'Phase2ProcessorReported')).toHaveLength(before.length + 1);
    expect(await phase3Messages(server)).toHaveLength(1);
    expect((await phaseView(server, DATE)).late_processors).toEqual([]);
  });

  it('with config/rollout-day1.env (deadline off) waits for every required processor with no deadline, and says so', async () => {
    // The day-1 file turns every flag off; centralized timeouts back on keeps the test's fast polls.
    const server = await start({
      SHOTCLOCK_ENV_FILE: ROLLOUT_DAY1,
      ENABLE_CENTRALIZED_TIMEOUTS: 'true',
    });
    const offReason = `ENABLE_PHASE2_COMPLETION_DEADLINE is off for ${DATE}: phase 3 waits for every required processor with no deadline`;
    expect(await phaseView(server, DATE)).toMatchObject({
      status: 'not_started',
      deadline_at: null,
      deadline_enabled: false,
      deadline_reason: expect.stringContaining(offReason),
    });

    const sends: Sent[] = [
      { processor_name: 'BigDataBallPbpProcessor', status: 'success', execution_id: 'e1' },
      { processor_name: 'OddsGameLinesProcessor', status: 'success', execution_id: 'e2' },
      { processor_name: 'OddsApiPropsBatchProcessor', status: 'success', execution_id: 'e3' },
      { processor_name: 'NbacGamebookProcessor', status: 'success', execution_id: 'e4' },
    ];
    for (const sent of sends) await deliver(server, DATE, sent);
    const waiting = await phaseViewWhen(
      server,
      DATE,
      (v) => (v.missing_processors as string[]).length === 1,
      'four required done',
    );
    expect(waiting).toMatchObject({
      status: 'in_progress',
      missing_processors: ['p2_nbacom_boxscores'],
      deadline_at: null,
      deadline_enabled: false,
      deadline_reason: `${offReason} (or trigger it by hand: POST /v1/phases/${DATE}/trigger)`,
    });

    // Hours pass: nothing is scheduled, nothing fires.
    apps.clock.advanceMs(10 * 60 * 60_000);
    await apps.timersChecked();
    await settled(server);
    expect((await phaseView(server, DATE)).status).toBe('in_progress');
    expect(await eventsOfType(server, 'Phase2DeadlineScheduled')).toHaveLength(0);
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(0);

    await deliver(server, DATE, {
      processor_name: 'NbacTeamBoxscoreProcessor',
      status: 'success',
      execution_id: 'e5',
    });
    const done = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'trigger');
    expect(done).toMatchObject({
      trigger_reason: 'all_complete',
      partial: false,
      deadline_at: null,
      deadline_reason: 'phase 3 is triggered (all_complete)',
    });
  });

  it('boots with an alias whose target is listed nowhere else, and tracks that target', async () => {
    const path = join(dir.path, 'alias-only.yaml');
    writeFileSync(
      path,
      [
        'phases:',
        '  phase_2_raw:',
        '    required: [p2_bigdataball_pbp]',
        '    optional: [p2_nbacom_schedule]',
        '    aliases:',
        '      BigDataBallPbpProcessor: p2_bigdataball_pbp',
        '      NbacInjuryReportProcessor: p2_nbacom_injury_report',
        '',
      ].join('\n'),
    );
    const server = await start({ PROCESSORS_CONFIG_PATH: path });
    await deliver(server, DATE, {
      processor_name: 'NbacInjuryReportProcessor',
      status: 'success',
      execution_id: 'e1',
    });
    const view = await phaseViewWhen(server, DATE, (v) => v.status === 'in_progress', 'report');
    expect(view).toMatchObject({
      tracked_processors: ['p2_nbacom_schedule', 'p2_nbacom_injury_report'],
      completed_processors: ['p2_nbacom_injury_report'],
      missing_processors: ['p2_bigdataball_pbp'],
      unexpected_processors: [],
      processors: { p2_nbacom_injury_report: { done: true } },
    });
    // Tracked, never waited for: the one required processor alone completes the phase.
    await deliver(server, DATE, {
      processor_name: 'BigDataBallPbpProcessor',
      status: 'success',
      execution_id: 'e2',
    });
    const done = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'trigger');
    expect(done).toMatchObject({ trigger_reason: 'all_complete', partial: false });
  });
});
