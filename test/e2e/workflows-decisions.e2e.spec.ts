import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { WORKFLOW_EVENTS } from '../../src/modules/workflows/workflow.events.js';
import { SERVICE_ENTRY } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';
import { appendPastExecution } from '../support/workflows-decisions-events.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** 2026-01-22 in New York (EST, UTC-5) at local `hhmm`. */
const jan22 = (hhmm: string) => `2026-01-22T${hhmm}:00-05:00`;

interface Decision {
  workflow: string;
  action: string;
  reason: string;
}

/** Evaluations of config/workflows.yaml (America/New_York) through the real app and SQLite. */
describe('workflow decisions (real app, real SQLite, ManualClock)', () => {
  const dir = makeTempDir('shotclock-wf-decisions-');
  const gameSchedulePath = join(dir.path, 'game-schedule.yaml');
  writeFileSync(
    gameSchedulePath,
    'games:\n  "2026-01-22": { first_game_local: "19:00", count: 9 }\n',
  );
  let clock: ManualClock;
  let test: TestApp;
  let storage: Storage;
  let server: unknown;

  const start = async (at: string, env: Record<string, string> = {}) => {
    clock = new ManualClock(at);
    test = await startTestApp(
      {
        LOG_LEVEL: 'error',
        GAME_SCHEDULE_PATH: gameSchedulePath,
        // Nothing listens there: executions of RUN decisions fail fast and call nothing real.
        SCRAPER_SERVICE_URL: 'http://127.0.0.1:9',
        ...env,
      },
      { clock },
    );
    storage = test.app.get(STORAGE);
    server = test.app.getHttpServer();
  };
  afterEach(async () => {
    await test?.close();
  });
  afterAll(() => dir.cleanup());

  const evaluate = async () =>
    (
      await request(server as never)
        .post('/v1/workflows/evaluate')
        .expect(200)
    ).body;
  const byWorkflow = (decisions: Decision[]) =>
    Object.fromEntries(decisions.map((d) => [d.workflow, { action: d.action, reason: d.reason }]));

  describe('at boundary times', () => {
    it('06:00 on a game day: morning window opens, betting lines wait for business hours', async () => {
      await start(jan22('06:00'));
      const body = await evaluate();
      expect(body).toMatchObject({
        hour_key: '2026-01-22T06',
        local_date: '2026-01-22',
        timezone: 'America/New_York',
        evaluated_at: '2026-01-22T11:00:00.000Z',
        replayed: false,
      });
      expect(body.evaluation_id).toEqual(expect.any(String));
      // Priority order: CRITICAL, HIGH, MEDIUM (config order within a priority).
      expect(body.decisions.map((d: Decision) => d.workflow)).toEqual([
        'morning_operations',
        'post_game_window_1',
        'betting_lines',
        'post_game_window_2',
        'early_game_window_1',
        'injury_discovery',
      ]);
      expect(body.decisions[0]).toEqual({
        workflow: 'morning_operations',
        action: 'RUN',
        reason: 'Inside ideal window 06:00-10:00, not yet completed today',
        priority: 'CRITICAL',
        decision_type: 'self_aware',
      });
      expect(byWorkflow(body.decisions)).toMatchObject({
        post_game_window_1: {
          action: 'SKIP',
          reason: 'Not within 30 min of 22:00 (now 06:00)',
        },
        betting_lines: { action: 'SKIP', reason: 'Outside business hours 08:00-23:00' },
        post_game_window_2: { action: 'SKIP', reason: 'No games yesterday' },
        early_game_window_1: { action: 'SKIP', reason: 'No early games today' },
        injury_discovery: { action: 'RUN', reason: 'Attempt 1/12' },
      });
    });

    it('10:00 the day after: outside the morning window, no games', async () => {
      await start('2026-01-23T10:00:00-05:00');
      expect(byWorkflow((await evaluate()).decisions)).toMatchObject({
        morning_operations: { action: 'SKIP', reason: 'Outside ideal window 06:00-10:00' },
        betting_lines: { action: 'SKIP', reason: 'No games scheduled today' },
        post_game_window_2: {
          action: 'SKIP',
          reason: 'Not within 30 min of 01:00 (now 10:00)',
        },
      });
    });

    it('22:30 (the end of 22:00 ±30min) runs the post-game window, and betting lines after tip-off; 12:00 is before their window', async () => {
      await start(jan22('22:30'));
      const betting = {
        action: 'RUN',
        reason: '9 games today, first game 19:00: window from 6h before it until 23:00',
      };
      expect(byWorkflow((await evaluate()).decisions)).toMatchObject({
        post_game_window_1: { action: 'RUN', reason: 'Within 30 min of 22:00 (now 22:30)' },
        betting_lines: betting,
      });
      clock.advanceMs(-10.5 * HOUR_MS);
      expect(byWorkflow((await evaluate()).decisions)).toMatchObject({
        betting_lines: {
          action: 'SKIP',
          reason: 'Before window: opens 13:00, 6h before first game 19:00',
        },
      });
      clock.advanceMs(HOUR_MS);
      expect(byWorkflow((await evaluate()).decisions)).toMatchObject({ betting_lines: betting });
    });
  });

  it('answers a second evaluation in the same hour with the first one, and records one event', async () => {
    await start(jan22('06:00'));
    const first = await evaluate();
    clock.advanceMs(59 * MINUTE_MS);
    const second = await evaluate();
    expect(second).toEqual({ ...first, replayed: true });

    const recorded = [];
    for await (const event of storage.events.readAll({
      types: [WORKFLOW_EVENTS.evaluationRecorded],
    })) {
      recorded.push(event);
    }
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.streamId).toBe('workflow-evaluation-2026-01-22T06');

    clock.advanceMs(MINUTE_MS);
    const nextHour = await evaluate();
    expect(nextHour).toMatchObject({ hour_key: '2026-01-22T07', replayed: false });
    expect(nextHour.evaluation_id).not.toBe(first.evaluation_id);
  });

  it('records one evaluation when two requests of the same hour race', async () => {
    await start(jan22('08:00'));
    const [a, b] = await Promise.all([evaluate(), evaluate()]);
    expect(a.evaluation_id).toBe(b.evaluation_id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await storage.events.streamVersion('workflow-evaluation-2026-01-22T08')).toBe(1);
  });

  describe('from the executions recorded so far', () => {
    it('skips a workflow that already completed successfully today', async () => {
      await start(jan22('07:00'));
      await appendPastExecution(storage, {
        executionId: 'morning-1',
        workflow: 'morning_operations',
        localDate: '2026-01-22',
        startedAt: new Date(jan22('06:00')).toISOString(),
        status: 'completed',
      });
      expect(byWorkflow((await evaluate()).decisions).morning_operations).toEqual({
        action: 'SKIP',
        reason: 'Already completed successfully today',
      });
    });

    it('skips discovery while its last attempt is under the retry interval ago', async () => {
      await start(jan22('12:30'));
      await appendPastExecution(storage, {
        executionId: 'injury-1',
        workflow: 'injury_discovery',
        localDate: '2026-01-22',
        startedAt: new Date(jan22('11:00')).toISOString(),
        status: 'failed',
      });
      expect(byWorkflow((await evaluate()).decisions).injury_discovery).toEqual({
        action: 'SKIP',
        reason: 'Retry in 0.5h (last attempt 1.5h ago, every 2h)',
      });
    });

    it('aborts discovery once the attempts of the day are spent', async () => {
      await start(jan22('23:00'));
      for (let attempt = 0; attempt < 12; attempt += 1) {
        await appendPastExecution(storage, {
          executionId: `injury-${attempt}`,
          workflow: 'injury_discovery',
          localDate: '2026-01-22',
          startedAt: new Date(Date.parse(jan22('00:00')) + attempt * 2 * HOUR_MS).toISOString(),
          status: 'failed',
        });
      }
      expect(byWorkflow((await evaluate()).decisions).injury_discovery).toEqual({
        action: 'ABORT',
        reason: 'Max attempts reached (12/12)',
      });
    });
  });

  it('lists workflows with their latest decision and execution, decisions and executions by date', async () => {
    await start(jan22('12:00'));
    await appendPastExecution(storage, {
      executionId: 'injury-a',
      workflow: 'injury_discovery',
      localDate: '2026-01-22',
      startedAt: new Date(jan22('08:00')).toISOString(),
      status: 'failed',
      durationMs: 4000,
    });
    await appendPastExecution(storage, {
      executionId: 'injury-b',
      workflow: 'injury_discovery',
      localDate: '2026-01-22',
      // Within TIMEOUT_WORKFLOW_EXECUTION_MS (10 min by default): still counts as running.
      startedAt: new Date(jan22('11:55')).toISOString(),
    });
    const evaluation = await evaluate();

    await eventually(async () => {
      const { body } = await request(server as never)
        .get('/v1/workflows')
        .expect(200);
      return body.workflows.every((w: { last_decision: unknown }) => w.last_decision !== null);
    }, 'last decisions projected');
    const { body: list } = await request(server as never)
      .get('/v1/workflows')
      .expect(200);
    expect(list).toMatchObject({ timezone: 'America/New_York', controller_interval_minutes: 60 });
    const injury = list.workflows.find((w: { name: string }) => w.name === 'injury_discovery');
    expect(injury).toMatchObject({
      enabled: true,
      priority: 'MEDIUM',
      decision_type: 'discovery',
      schedule: {
        max_attempts_per_day: 12,
        retry_interval_hours: 2,
        requires_game_day: false,
        discovery_duration_weeks: 4,
      },
      execution_mode: 'sequential',
      max_workers: 10,
      steps: [{ name: 'main', type: 'single', scrapers: ['nbac_injury_report'], depends_on: [] }],
      last_decision: {
        evaluation_id: evaluation.evaluation_id,
        hour_key: '2026-01-22T12',
        action: 'SKIP',
        reason: 'Still running (started 11:55)',
      },
      last_execution: { execution_id: 'injury-b', status: 'running', duration_ms: null },
    });

    const { body: decisions } = await request(server as never)
      .get('/v1/workflows/decisions?date=2026-01-22')
      .expect(200);
    expect(decisions).toMatchObject({ date: '2026-01-22', timezone: 'America/New_York' });
    expect(decisions.evaluations).toHaveLength(1);
    expect(decisions.evaluations[0]).toMatchObject({
      evaluation_id: evaluation.evaluation_id,
      hour_key: '2026-01-22T12',
      decisions: evaluation.decisions,
    });
    const { body: otherDay } = await request(server as never)
      .get('/v1/workflows/decisions?date=2026-01-21')
      .expect(200);
    expect(otherDay.evaluations).toEqual([]);

    const { body: failed } = await request(server as never)
      .get('/v1/workflows/executions?date=2026-01-22&status=failed')
      .expect(200);
    expect(failed.counts).toMatchObject({ running: 1, failed: 1, completed: 0, interrupted: 0 });
    expect(failed.executions).toEqual([
      expect.objectContaining({
        execution_id: 'injury-a',
        workflow: 'injury_discovery',
        status: 'failed',
        duration_ms: 4000,
        errors: ['HTTP 500 from scraper'],
        counts: { success: 0, no_data: 0, failed: 1, timed_out: 0, circuit_open: 0 },
      }),
    ]);
    // No date: today in the configured zone.
    const { body: today } = await request(server as never)
      .get('/v1/workflows/executions')
      .expect(200);
    expect(today.date).toBe('2026-01-22');
    expect(today.executions.map((e: { execution_id: string }) => e.execution_id)).toEqual(
      expect.arrayContaining(['injury-a', 'injury-b']),
    );
  });

  it('answers 400 naming the field for a bad date or status', async () => {
    await start(jan22('12:00'));
    const bad = await request(server as never)
      .get('/v1/workflows/executions?date=22-01-2026&status=done')
      .expect(400);
    expect(bad.body.message).toContain('date: expected a local date YYYY-MM-DD');
    expect(bad.body.message).toContain('status:');
    const unknown = await request(server as never)
      .get('/v1/workflows/decisions?day=2026-01-22')
      .expect(400);
    expect(unknown.body.message).toMatch(/day/);
  });

  it('refuses to boot on an invalid workflows file, naming the file, the workflow and the problem', async () => {
    const path = join(dir.path, 'bad-workflows.yaml');
    writeFileSync(
      path,
      [
        'settings: { timezone: America/New_York }',
        'scrapers: { a: { critical: true } }',
        'workflows:',
        '  broken:',
        '    priority: HIGH',
        '    decision_type: discovery',
        '    schedule: { max_attempts_per_day: 3, retry_interval_hours: 1 }',
        '    execution_plan: { type: parallel, scrapers: [a, ghost] }',
        '    max_workers: 0',
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, [SERVICE_ENTRY], {
      env: {
        PATH: process.env.PATH,
        WORKFLOWS_CONFIG_PATH: path,
        GAME_SCHEDULE_PATH: gameSchedulePath,
        SQLITE_PATH: join(dir.path, 'never.sqlite'),
        PORT: '0',
        HOST: '127.0.0.1',
      },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain(`${path}: workflow broken: max_workers: expected an integer >= 1`);
    expect(output).toContain(
      `${path}: workflow broken: execution_plan: unknown scraper ghost (not under scrapers: in this file)`,
    );
  });
});
