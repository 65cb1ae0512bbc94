import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { ALERT_EVENTS, type AlertRaised } from '../../src/modules/alerts/alert.events.js';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { WorkflowExecutionService } from '../../src/modules/workflows/execution/workflow-execution.service.js';
import { ScraperStub } from '../support/scraper-stub.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PRODUCTION_YAML = fileURLToPath(
  new URL('../fixtures/workflows-production.yaml', import.meta.url),
);
const HOUR_MS = 3_600_000;
/** Monday 2026-01-19 to Sunday 2026-01-25, New York (EST, UTC-5 all week). */
const [MON, TUE, WED, THU, FRI, SAT, SUN] = [
  '2026-01-19',
  '2026-01-20',
  '2026-01-21',
  '2026-01-22',
  '2026-01-23',
  '2026-01-24',
  '2026-01-25',
] as const;
const WEEK = [MON, TUE, WED, THU, FRI, SAT, SUN];
const GAME_SCHEDULE = `games:
  '2026-01-18': { first_game_local: '19:00', count: 5 }
  '2026-01-19': { first_game_local: '19:30', count: 6 }  # a late-only slate
  '2026-01-20': { first_game_local: '19:00', count: 9 }
  # 2026-01-21: an off day after a game day
  '2026-01-22': { first_game_local: '12:00', count: 8 }  # an early-game day (a 12:00 tip)
  '2026-01-23': { first_game_local: '19:00', count: 10 }
  # 2026-01-24: an off day
  '2026-01-25': { first_game_local: '15:00', count: 6 }  # early games not finished by 15:30
`;

type Row = [day: string, hour: number, workflow: string, action: string, reason: string];
interface Decision {
  workflow: string;
  action: string;
  reason: string;
}

/**
 * The production-shape workflows file (every key, step dependencies naming scrapers, a dangling
 * required_for, unknown keys) booted in the real app, evaluated and executed every hour of a
 * simulated week against a real scraper stub, with a ManualClock.
 */
describe('the production workflows file over a simulated week (real app, SQLite, scraper stub)', () => {
  const dir = makeTempDir('shotclock-wf-production-week-');
  const schedulePath = join(dir.path, 'game-schedule.yaml');
  writeFileSync(schedulePath, GAME_SCHEDULE);
  let stub: ScraperStub;
  let test: TestApp;
  let server: never;
  /** `<date> <hour>` -> workflow -> decision. */
  const decisions = new Map<string, Map<string, Decision>>();
  let manualRunId = '';

  beforeAll(async () => {
    stub = await ScraperStub.start();
    stub.program('injury_report', { rowCount: 0 });
    const clock = new ManualClock(`${MON}T00:00:00-05:00`);
    test = await startTestApp(
      {
        WORKFLOWS_CONFIG_PATH: PRODUCTION_YAML,
        GAME_SCHEDULE_PATH: schedulePath,
        SCRAPER_SERVICE_URL: stub.url,
        ENABLE_PARALLEL_CONFIG: 'true',
        LOG_LEVEL: 'error',
      },
      { clock },
    );
    server = test.app.getHttpServer() as never;
    const executions = test.app.get(WorkflowExecutionService);
    for (const day of WEEK) {
      for (let hour = 0; hour < 24; hour += 1) {
        programFor(day, hour);
        const { body } = await request(server).post('/v1/workflows/evaluate').expect(200);
        decisions.set(
          `${day} ${hour}`,
          new Map(body.decisions.map((decision: Decision) => [decision.workflow, decision])),
        );
        await request(server).post('/v1/workflows/execute').expect(202);
        await executions.idle();
        if (day === WED && hour === 15) {
          // A manual run of the morning workflow in the afternoon: outside its window.
          const manual = await request(server)
            .post('/v1/workflows/morning_operations/execute')
            .expect(202);
          manualRunId = manual.body.execution_id;
          await executions.idle();
        }
        clock.advanceMs(HOUR_MS);
      }
    }
  }, 240_000);
  afterAll(async () => {
    await test?.close();
    await stub?.close();
    dir.cleanup();
  });

  /** The scraper service as the week goes: injury data appears Tuesday 04:00, Friday night fails. */
  function programFor(day: string, hour: number): void {
    if (day === TUE && hour === 4) stub.program('injury_report', { rowCount: 5 });
    if (day === FRI && hour === 22) {
      stub.program('player_boxscores', { thenStatus: 400 });
      stub.program('play_by_play', { thenStatus: 400 });
    }
    if (day === FRI && hour === 23) {
      stub.program('player_boxscores', {});
      stub.program('play_by_play', {});
    }
  }

  const decided = (rows: readonly Row[]): Row[] =>
    rows.map(([day, hour, workflow]) => {
      const decision = decisions.get(`${day} ${hour}`)?.get(workflow);
      return [day, hour, workflow, decision?.action ?? '-', decision?.reason ?? '-'];
    });
  const runHours = (workflow: string, day: string) =>
    Array.from({ length: 24 }, (_, hour) => hour).filter(
      (hour) => decisions.get(`${day} ${hour}`)?.get(workflow)?.action === 'RUN',
    );

  it('self_aware: once a day inside its ideal window', () => {
    const rows: Row[] = [
      [MON, 5, 'morning_operations', 'SKIP', 'Outside ideal window 06:00-10:00'],
      [
        MON,
        6,
        'morning_operations',
        'RUN',
        'Inside ideal window 06:00-10:00, not yet completed today',
      ],
      [MON, 7, 'morning_operations', 'SKIP', 'Already completed successfully today'],
      [MON, 10, 'morning_operations', 'SKIP', 'Already completed successfully today'],
    ];
    expect(decided(rows)).toEqual(rows);
    for (const day of WEEK) expect(runHours('morning_operations', day)).toEqual([6]);
  });

  it('fixed_time: within the tolerance of its time, once a day; not again after a failed run outside it', () => {
    const rows: Row[] = [
      [MON, 21, 'post_game_window_1', 'SKIP', 'Not within 30 min of 22:00 (now 21:00)'],
      [MON, 22, 'post_game_window_1', 'RUN', 'Within 30 min of 22:00 (now 22:00)'],
      [MON, 23, 'post_game_window_1', 'SKIP', 'Already completed successfully today'],
      [FRI, 22, 'post_game_window_1', 'RUN', 'Within 30 min of 22:00 (now 22:00)'],
      [FRI, 23, 'post_game_window_1', 'SKIP', 'Not within 30 min of 22:00 (now 23:00)'],
    ];
    expect(decided(rows)).toEqual(rows);
    for (const day of WEEK) expect(runHours('post_game_window_1', day)).toEqual([22]);
  });

  it('game_aware: from its window before the first game, clipped to business hours, every 2h until 23:00', () => {
    const rows: Row[] = [
      [MON, 7, 'betting_lines', 'SKIP', 'Before window: opens 07:30, 12h before first game 19:30'],
      [
        MON,
        8,
        'betting_lines',
        'RUN',
        '6 games today, first game 19:30: window from 12h before it until 23:00',
      ],
      [MON, 9, 'betting_lines', 'SKIP', 'Ran 1h ago (every 2h)'],
      [MON, 23, 'betting_lines', 'SKIP', 'Outside business hours 05:00-23:00'],
      [WED, 12, 'betting_lines', 'SKIP', 'No games scheduled today'],
      [THU, 4, 'betting_lines', 'SKIP', 'Outside business hours 05:00-23:00'],
      [
        THU,
        5,
        'betting_lines',
        'RUN',
        '8 games today, first game 12:00: window from 12h before it until 23:00',
      ],
    ];
    expect(decided(rows)).toEqual(rows);
    // After tip-off too (closing lines), until the end of business hours.
    expect(runHours('betting_lines', MON)).toEqual([8, 10, 12, 14, 16, 18, 20, 22]);
    expect(runHours('betting_lines', THU)).toEqual([5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(runHours('betting_lines', WED)).toEqual([]);
    expect(runHours('betting_lines', SAT)).toEqual([]);
  });

  it('game_aware_yesterday: at 01:00 after a game day, "No games yesterday" after an off day', () => {
    const rows: Row[] = [
      [MON, 0, 'post_game_window_2', 'SKIP', 'Not within 30 min of 01:00 (now 00:00)'],
      [
        MON,
        1,
        'post_game_window_2',
        'RUN',
        '5 games yesterday; within 30 min of 01:00 (now 01:00)',
      ],
      [MON, 2, 'post_game_window_2', 'SKIP', 'Already completed successfully today'],
      [
        WED,
        1,
        'post_game_window_2',
        'RUN',
        '9 games yesterday; within 30 min of 01:00 (now 01:00)',
      ],
      [THU, 1, 'post_game_window_2', 'SKIP', 'No games yesterday'],
      [SUN, 1, 'post_game_window_2', 'SKIP', 'No games yesterday'],
    ];
    expect(decided(rows)).toEqual(rows);
    expect(WEEK.map((day) => runHours('post_game_window_2', day))).toEqual([
      [1],
      [1],
      [1],
      [],
      [1],
      [1],
      [],
    ]);
  });

  it('game_aware_early: at 15:00 on a day with games before 19:00, once they are over', () => {
    const rows: Row[] = [
      [MON, 15, 'early_game_window_1', 'SKIP', 'No early games today'],
      [WED, 15, 'early_game_window_1', 'SKIP', 'No early games today'],
      [THU, 14, 'early_game_window_1', 'SKIP', 'Not within 30 min of 15:00 (now 14:00)'],
      [
        THU,
        15,
        'early_game_window_1',
        'RUN',
        'Early games today (first tip 12:00 + 3h); within 30 min of 15:00 (now 15:00)',
      ],
      [THU, 16, 'early_game_window_1', 'SKIP', 'Already completed successfully today'],
      [SUN, 15, 'early_game_window_1', 'SKIP', 'Early games not finished (first tip 15:00 + 3h)'],
    ];
    expect(decided(rows)).toEqual(rows);
    expect(WEEK.map((day) => runHours('early_game_window_1', day))).toEqual([
      [],
      [],
      [],
      [15],
      [],
      [],
      [],
    ]);
  });

  it('discovery: on game days only, every 2h until a run returns rows, at most 12 attempts', () => {
    const rows: Row[] = [
      [MON, 0, 'injury_discovery', 'RUN', 'Attempt 1/12'],
      [MON, 1, 'injury_discovery', 'SKIP', 'Retry in 1h (last attempt 1h ago, every 2h)'],
      [MON, 22, 'injury_discovery', 'RUN', 'Attempt 12/12'],
      [MON, 23, 'injury_discovery', 'ABORT', 'Max attempts reached (12/12)'],
      [TUE, 4, 'injury_discovery', 'RUN', 'Attempt 3/12'],
      [TUE, 5, 'injury_discovery', 'SKIP', 'Data found today'],
      [WED, 0, 'injury_discovery', 'SKIP', 'No games today'],
    ];
    expect(decided(rows)).toEqual(rows);
    expect(runHours('injury_discovery', MON)).toHaveLength(12);
    expect(runHours('injury_discovery', TUE)).toEqual([0, 2, 4]);
    expect(runHours('injury_discovery', THU)).toEqual([0]);
    expect(runHours('injury_discovery', SAT)).toEqual([]);
  });

  it('raises the alerts the file asks for, at its levels: failure, timing drift, max attempts', async () => {
    const storage: Storage = test.app.get(STORAGE);
    const raised: AlertRaised[] = [];
    for await (const event of storage.events.readAll({ types: [ALERT_EVENTS.raised] })) {
      raised.push(event.data as AlertRaised);
    }
    const friday22 = decisions.get(`${FRI} 22`);
    expect(friday22?.get('post_game_window_1')?.action).toBe('RUN');
    expect(raised.map(({ alert_id, kind, severity }) => ({ alert_id, kind, severity }))).toEqual([
      {
        alert_id: `workflow-max-attempts:injury_discovery:${MON}`,
        kind: 'workflow_max_attempts_reached',
        severity: 'warning',
      },
      {
        alert_id: `workflow-timing-drift:${manualRunId}`,
        kind: 'workflow_timing_drift',
        severity: 'warning',
      },
      {
        alert_id: expect.stringMatching(/^workflow-failed:.+:post_game_window_1$/),
        kind: 'workflow_execution_failed',
        severity: 'critical',
      },
    ]);
    expect(raised[1]!.summary).toBe(
      `workflow morning_operations (manual) started at 15:00 America/New_York on ${WED}, outside its ideal window 06:00-10:00`,
    );
    expect(raised[2]!.summary).toContain('workflow post_game_window_1 execution');
    expect(raised[2]!.summary).toContain('failed (2 failed)');
  });

  it('GET /v1/workflows/config shows the file as understood, with every warning once, by path', async () => {
    const { body } = await request(server).get('/v1/workflows/config').expect(200);
    expect(body).toMatchObject({
      source: PRODUCTION_YAML,
      version: '1.0',
      environment: 'production',
      settings: {
        timezone: 'America/New_York',
        cleanup_processor: { enabled: true, interval_minutes: 15 },
        notifications: { email_enabled: true, critical_channels: ['email', 'slack'] },
      },
    });
    expect(body.warnings).toEqual([
      { path: 'release_channel', message: 'unknown key, ignored' },
      { path: 'scrapers.game_lines.owner', message: 'unknown key, ignored' },
      {
        path: 'workflows.post_game_window_1.alerts.page_oncall',
        message: 'alert condition unknown to Shotclock: shown, never raised',
      },
      {
        path: 'workflows.early_game_window_1.schedule.retry_on_postponement',
        message: 'not a schedule key of decision_type game_aware_early; ignored',
      },
      {
        path: 'workflows.morning_operations.dependencies.required_for',
        message: 'names post_game_collection, which is not a workflow of this file',
      },
      {
        path: 'settings.notifications.email_enabled',
        message:
          'email is not supported: alerts are recorded and go to Slack (SLACK_WEBHOOK_URL) only',
      },
    ]);
    const betting = body.workflows.find((w: { name: string }) => w.name === 'betting_lines');
    expect(betting).toEqual({
      name: 'betting_lines',
      enabled: true,
      priority: 'CRITICAL',
      decision_type: 'game_aware',
      description: null,
      schedule: {
        window_before_game_hours: 12,
        business_hours: { start: 5, end: 23 },
        frequency_hours: 2,
      },
      execution_mode: 'sequential',
      max_workers: 10,
      require_all_critical: false,
      steps: [
        { name: 'step_1', type: 'sequential', scrapers: ['line_events'], depends_on: [] },
        {
          name: 'step_2',
          type: 'parallel',
          scrapers: ['player_props', 'game_lines'],
          depends_on: ['line_events'],
        },
      ],
      alerts: { failure: 'CRITICAL', quota_warning_pct: 80 },
      alerts_raised: { failure: 'CRITICAL', timing_drift: null, max_attempts_reached: null },
      dependencies: { requires: ['morning_operations'], required_for: [] },
    });
    const bounds = (name: string) =>
      body.scrapers.find((s: { name: string }) => s.name === name).call_bounds;
    expect(bounds('team_rosters')).toEqual({
      answer_ms: 240_000,
      answer_setting: 'settings.scraper_timeouts.overrides.team_rosters',
      call_ms: 250_000,
      call_setting:
        'settings.scraper_timeouts.overrides.team_rosters + settings.scraper_timeouts.future_overhead',
    });
    expect(bounds('schedule_feed')).toMatchObject({ answer_ms: 180_000, call_ms: 190_000 });
    expect(body.keys).toContainEqual({
      key: 'settings.cleanup_processor.*',
      use: 'shown',
      note: "not Shotclock's job",
    });
  });
});
