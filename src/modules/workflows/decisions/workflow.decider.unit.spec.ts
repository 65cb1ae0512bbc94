import type { WorkflowDefinition, WorkflowSchedule } from '../workflow-config.types.js';
import type { GamesOnDate } from './game-schedule.port.js';
import { localTime } from '../local-time.js';
import { decideWorkflow, type DecisionContext, type WorkflowHistory } from './workflow.decider.js';

const ZONE = 'America/New_York';
const HOUR_MS = 3_600_000;
const RUNNING_LIMIT_MS = 4 * HOUR_MS;
const NO_HISTORY: WorkflowHistory = {
  attemptsToday: 0,
  lastStartedAt: null,
  succeededToday: false,
  foundDataToday: false,
  lastStatus: null,
};
const NO_GAMES: GamesOnDate = { count: 0, firstGameLocal: null };
const DISCOVERY: WorkflowSchedule = {
  kind: 'discovery',
  maxAttemptsPerDay: 12,
  retryIntervalHours: 2,
  requiresGameDay: false,
  discoveryDurationWeeks: null,
};

/** 2026-01-22 (EST, UTC-5) at local `hhmm`. */
const localJan22 = (hhmm: string) => new Date(`2026-01-22T${hhmm}:00-05:00`);

function workflow(schedule: WorkflowSchedule, enabled = true): WorkflowDefinition {
  return {
    name: 'wf',
    enabled,
    priority: 'HIGH',
    decisionType: schedule.kind,
    schedule,
    steps: [{ name: 'main', type: 'single', scrapers: ['s'], dependsOn: [] }],
    executionMode: 'sequential',
    maxWorkers: 10,
    requireAllCritical: false,
    alerts: { failure: null, timingDrift: null, maxAttemptsReached: null },
  };
}

function context(
  now: Date,
  history: Partial<WorkflowHistory> = {},
  games: GamesOnDate = NO_GAMES,
  gamesYesterday: GamesOnDate = NO_GAMES,
): [WorkflowHistory, DecisionContext] {
  const local = localTime(now, ZONE);
  return [
    { ...NO_HISTORY, ...history },
    {
      now,
      timezone: ZONE,
      localDate: local.date,
      localTime: local.time,
      evaluationIntervalMinutes: 60,
      runningLimitMs: RUNNING_LIMIT_MS,
      games,
      gamesYesterday,
    },
  ];
}

/** ISO time `hours` before `now`. */
const before = (now: Date, hours: number) =>
  new Date(now.getTime() - hours * HOUR_MS).toISOString();

describe('decideWorkflow (given a workflow and its history, when evaluated at a local time, then ...)', () => {
  describe('self_aware, ideal window 06:00-10:00 (start inclusive, end exclusive)', () => {
    const wf = workflow({
      kind: 'self_aware',
      idealWindow: { startHour: 6, endHour: 10 },
      runOnceDaily: true,
    });
    it.each([
      ['05:59', 'SKIP', 'Outside ideal window 06:00-10:00'],
      ['06:00', 'RUN', 'Inside ideal window 06:00-10:00, not yet completed today'],
      ['09:59', 'RUN', 'Inside ideal window 06:00-10:00, not yet completed today'],
      ['10:00', 'SKIP', 'Outside ideal window 06:00-10:00'],
    ])('at %s: %s "%s"', (time, action, reason) => {
      expect(decideWorkflow(wf, ...context(localJan22(time)))).toEqual({ action, reason });
    });

    it('skips inside the window once it succeeded today', () => {
      expect(decideWorkflow(wf, ...context(localJan22('08:00'), { succeededToday: true }))).toEqual(
        {
          action: 'SKIP',
          reason: 'Already completed successfully today',
        },
      );
    });

    it('runs again inside the window after a failed attempt', () => {
      const now = localJan22('08:00');
      const history = {
        attemptsToday: 1,
        lastStartedAt: before(now, 1),
        lastStatus: 'failed' as const,
      };
      expect(decideWorkflow(wf, ...context(now, history)).action).toBe('RUN');
    });

    it('follows the wall clock across the DST switch (2026-03-08, New York)', () => {
      // 10:00Z is 06:00 EDT on the switch day, but 05:00 EST the day before.
      expect(decideWorkflow(wf, ...context(new Date('2026-03-08T10:00:00Z')))).toMatchObject({
        action: 'RUN',
      });
      expect(decideWorkflow(wf, ...context(new Date('2026-03-07T10:00:00Z')))).toEqual({
        action: 'SKIP',
        reason: 'Outside ideal window 06:00-10:00',
      });
    });
  });

  describe('fixed_time 22:00 ±30min (both ends inclusive)', () => {
    const wf = workflow({ kind: 'fixed_time', fixedTime: '22:00', toleranceMinutes: 30 });
    it.each([
      ['21:29', 'SKIP', 'Not within 30 min of 22:00 (now 21:29)'],
      ['21:30', 'RUN', 'Within 30 min of 22:00 (now 21:30)'],
      ['22:00', 'RUN', 'Within 30 min of 22:00 (now 22:00)'],
      ['22:30', 'RUN', 'Within 30 min of 22:00 (now 22:30)'],
      ['22:31', 'SKIP', 'Not within 30 min of 22:00 (now 22:31)'],
    ])('at %s: %s "%s"', (time, action, reason) => {
      expect(decideWorkflow(wf, ...context(localJan22(time)))).toEqual({ action, reason });
    });

    it('skips at the fixed time once it succeeded today', () => {
      expect(decideWorkflow(wf, ...context(localJan22('22:00'), { succeededToday: true }))).toEqual(
        {
          action: 'SKIP',
          reason: 'Already completed successfully today',
        },
      );
    });
  });

  describe('self_aware with run_once_daily: false', () => {
    it('runs at every evaluation inside the window, even after a success', () => {
      const wf = workflow({
        kind: 'self_aware',
        idealWindow: { startHour: 6, endHour: 10 },
        runOnceDaily: false,
      });
      expect(decideWorkflow(wf, ...context(localJan22('08:00'), { succeededToday: true }))).toEqual(
        {
          action: 'RUN',
          reason: 'Inside ideal window 06:00-10:00',
        },
      );
    });
  });

  describe('game_aware: 6h before the first game, business hours 08:00-23:00, every 2h', () => {
    const wf = workflow({
      kind: 'game_aware',
      windowBeforeGameHours: 6,
      businessHours: { start: 8, end: 23 },
      frequencyHours: 2,
    });
    const gameDay: GamesOnDate = { count: 9, firstGameLocal: '19:00' };
    const RUN_REASON = '9 games today, first game 19:00: window from 6h before it until 23:00';

    it('skips a date without games', () => {
      expect(decideWorkflow(wf, ...context(localJan22('14:00')))).toEqual({
        action: 'SKIP',
        reason: 'No games scheduled today',
      });
    });

    it.each([
      ['12:59', 'SKIP', 'Before window: opens 13:00, 6h before first game 19:00'],
      ['13:00', 'RUN', RUN_REASON],
      ['19:00', 'RUN', RUN_REASON],
      ['22:59', 'RUN', RUN_REASON],
      ['23:00', 'SKIP', 'Outside business hours 08:00-23:00'],
    ])(
      'on a game day at %s: %s "%s" (after tip-off too: closing lines)',
      (time, action, reason) => {
        expect(decideWorkflow(wf, ...context(localJan22(time), {}, gameDay))).toEqual({
          action,
          reason,
        });
      },
    );

    it('clips an early window to business hours', () => {
      const noonTip: GamesOnDate = { count: 2, firstGameLocal: '12:00' };
      expect(decideWorkflow(wf, ...context(localJan22('07:00'), {}, noonTip))).toEqual({
        action: 'SKIP',
        reason: 'Outside business hours 08:00-23:00',
      });
      expect(decideWorkflow(wf, ...context(localJan22('08:00'), {}, noonTip)).action).toBe('RUN');
    });

    it('skips while the last run is less than 2h ago', () => {
      const now = localJan22('15:30');
      const history = {
        attemptsToday: 1,
        lastStartedAt: before(now, 1.5),
        lastStatus: 'completed' as const,
      };
      expect(decideWorkflow(wf, ...context(now, history, gameDay))).toEqual({
        action: 'SKIP',
        reason: 'Ran 1.5h ago (every 2h)',
      });
    });

    it('counts evaluation slots (hours): due at the 2nd hour after the hour of the last start', () => {
      const ranAt = (hhmmss: string) => ({
        attemptsToday: 1,
        lastStartedAt: new Date(`2026-01-22T${hhmmss}-05:00`).toISOString(),
        lastStatus: 'completed' as const,
        succeededToday: true,
      });
      const at15 = context(localJan22('15:00'), ranAt('13:00:04'), gameDay);
      // Started 4 s after its 13:00 evaluation: 1h59m56s ago, yet due at the 15:00 evaluation.
      expect(decideWorkflow(wf, ...at15).action).toBe('RUN');
      expect(
        decideWorkflow(wf, ...context(localJan22('15:00'), ranAt('13:30:00'), gameDay)).action,
      ).toBe('RUN');
      expect(
        decideWorkflow(wf, ...context(localJan22('14:59'), ranAt('13:00:04'), gameDay)),
      ).toEqual({
        action: 'SKIP',
        reason: 'Ran 2h ago (every 2h)',
      });
    });

    it('runs within business hours on frequency alone when the first game time is unknown', () => {
      const unknownTime: GamesOnDate = { count: 1, firstGameLocal: null };
      expect(decideWorkflow(wf, ...context(localJan22('09:00'), {}, unknownTime))).toEqual({
        action: 'RUN',
        reason: '1 game today (first game time unknown), until 23:00',
      });
    });
  });

  describe('game_aware_yesterday at 01:00 ±30min', () => {
    const wf = workflow({ kind: 'game_aware_yesterday', fixedTime: '01:00', toleranceMinutes: 30 });
    const lastNight: GamesOnDate = { count: 7, firstGameLocal: '19:00' };

    it('skips when yesterday had no games, whatever the time', () => {
      expect(decideWorkflow(wf, ...context(localJan22('01:00'), {}, lastNight))).toEqual({
        action: 'SKIP',
        reason: 'No games yesterday',
      });
    });

    it.each([
      ['00:29', 'SKIP', 'Not within 30 min of 01:00 (now 00:29)'],
      ['01:00', 'RUN', '7 games yesterday; within 30 min of 01:00 (now 01:00)'],
      ['01:30', 'RUN', '7 games yesterday; within 30 min of 01:00 (now 01:30)'],
      ['02:00', 'SKIP', 'Not within 30 min of 01:00 (now 02:00)'],
    ])('after a game day, at %s: %s "%s"', (time, action, reason) => {
      expect(decideWorkflow(wf, ...context(localJan22(time), {}, NO_GAMES, lastNight))).toEqual({
        action,
        reason,
      });
    });

    it('runs once a day', () => {
      const history = { succeededToday: true };
      expect(
        decideWorkflow(wf, ...context(localJan22('01:00'), history, NO_GAMES, lastNight)),
      ).toEqual({
        action: 'SKIP',
        reason: 'Already completed successfully today',
      });
    });
  });

  describe('game_aware_early at 15:00 ±30min, cutoff 19:00, 3h after the first early tip', () => {
    const wf = workflow({
      kind: 'game_aware_early',
      fixedTime: '15:00',
      toleranceMinutes: 30,
      earlyGameCutoffHour: 19,
      collectionDelayHours: 3,
    });

    it.each([
      ['no games', NO_GAMES],
      ['a late-only slate (first tip at the cutoff)', { count: 9, firstGameLocal: '19:00' }],
      ['a first game time that is unknown', { count: 3, firstGameLocal: null }],
    ])('skips with %s', (_, games) => {
      expect(decideWorkflow(wf, ...context(localJan22('15:00'), {}, games))).toEqual({
        action: 'SKIP',
        reason: 'No early games today',
      });
    });

    it.each([
      ['14:00', '12:00', 'SKIP', 'Not within 30 min of 15:00 (now 14:00)'],
      ['14:30', '12:00', 'SKIP', 'Early games not finished (first tip 12:00 + 3h)'],
      [
        '15:00',
        '12:00',
        'RUN',
        'Early games today (first tip 12:00 + 3h); within 30 min of 15:00 (now 15:00)',
      ],
      ['15:00', '13:00', 'SKIP', 'Early games not finished (first tip 13:00 + 3h)'],
      [
        '15:30',
        '12:30',
        'RUN',
        'Early games today (first tip 12:30 + 3h); within 30 min of 15:00 (now 15:30)',
      ],
    ])('at %s with a first tip at %s: %s "%s"', (time, tip, action, reason) => {
      const games: GamesOnDate = { count: 4, firstGameLocal: tip };
      expect(decideWorkflow(wf, ...context(localJan22(time), {}, games))).toEqual({
        action,
        reason,
      });
    });

    it('runs once a day', () => {
      const games: GamesOnDate = { count: 4, firstGameLocal: '12:00' };
      expect(
        decideWorkflow(wf, ...context(localJan22('15:00'), { succeededToday: true }, games)),
      ).toEqual({ action: 'SKIP', reason: 'Already completed successfully today' });
    });
  });

  describe('discovery, at most 12 attempts a day, 2h apart', () => {
    const wf = workflow(DISCOVERY);
    const now = localJan22('12:00');

    it('runs the first attempt', () => {
      expect(decideWorkflow(wf, ...context(now))).toEqual({
        action: 'RUN',
        reason: 'Attempt 1/12',
      });
    });

    it('runs the last allowed attempt', () => {
      const history = {
        attemptsToday: 11,
        lastStartedAt: before(now, 2),
        lastStatus: 'failed' as const,
      };
      expect(decideWorkflow(wf, ...context(now, history))).toEqual({
        action: 'RUN',
        reason: 'Attempt 12/12',
      });
    });

    it('aborts for the rest of the day once the attempts are spent', () => {
      const history = {
        attemptsToday: 12,
        lastStartedAt: before(now, 3),
        lastStatus: 'failed' as const,
      };
      expect(decideWorkflow(wf, ...context(now, history))).toEqual({
        action: 'ABORT',
        reason: 'Max attempts reached (12/12)',
      });
    });

    it('skips until the retry interval has passed (in evaluation hours), saying when it retries', () => {
      const history = {
        attemptsToday: 3,
        lastStartedAt: localJan22('11:00').toISOString(),
        lastStatus: 'failed' as const,
      };
      expect(decideWorkflow(wf, ...context(localJan22('12:30'), history))).toEqual({
        action: 'SKIP',
        reason: 'Retry in 0.5h (last attempt 1.5h ago, every 2h)',
      });
      expect(decideWorkflow(wf, ...context(localJan22('13:00'), history))).toEqual({
        action: 'RUN',
        reason: 'Attempt 4/12',
      });
    });

    it('stops once an attempt found data today', () => {
      const history = {
        attemptsToday: 2,
        lastStartedAt: before(now, 3),
        succeededToday: true,
        foundDataToday: true,
      };
      expect(decideWorkflow(wf, ...context(now, history))).toEqual({
        action: 'SKIP',
        reason: 'Data found today',
      });
    });

    it('keeps trying after a completed run that found no rows (no_data counted as success)', () => {
      const history = { attemptsToday: 2, lastStartedAt: before(now, 3), succeededToday: true };
      expect(decideWorkflow(wf, ...context(now, history))).toEqual({
        action: 'RUN',
        reason: 'Attempt 3/12',
      });
    });

    it('with requires_game_day: skips a day without games, runs on a game day', () => {
      const gameDayOnly = workflow({ ...DISCOVERY, requiresGameDay: true });
      expect(decideWorkflow(gameDayOnly, ...context(now))).toEqual({
        action: 'SKIP',
        reason: 'No games today',
      });
      expect(
        decideWorkflow(gameDayOnly, ...context(now, {}, { count: 1, firstGameLocal: '19:00' })),
      ).toEqual({ action: 'RUN', reason: 'Attempt 1/12' });
    });
  });

  describe('any decision type', () => {
    const wf = workflow(DISCOVERY);
    const now = localJan22('12:00');

    it('skips a disabled workflow', () => {
      expect(decideWorkflow({ ...wf, enabled: false }, ...context(now))).toEqual({
        action: 'SKIP',
        reason: 'Disabled in config',
      });
    });

    it('skips while the last execution is still running, naming its local start', () => {
      const history = {
        attemptsToday: 1,
        lastStartedAt: before(now, 3),
        lastStatus: 'running' as const,
      };
      expect(decideWorkflow(wf, ...context(now, history))).toEqual({
        action: 'SKIP',
        reason: 'Still running (started 09:00)',
      });
    });

    it('no longer waits for a running execution older than the running limit', () => {
      const history = {
        attemptsToday: 1,
        lastStartedAt: before(now, 4),
        lastStatus: 'running' as const,
      };
      expect(decideWorkflow(wf, ...context(now, history))).toEqual({
        action: 'RUN',
        reason: 'Attempt 2/12',
      });
    });
  });
});
