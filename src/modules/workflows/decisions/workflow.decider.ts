import type { WorkflowDefinition, WorkflowSchedule } from '../workflow-config.types.js';
import type { DecisionAction } from '../workflow.events.js';
import type { GamesOnDate } from './game-schedule.port.js';
import { formatMinuteOfDay, localTime, parseHhmm } from '../local-time.js';

export type ExecutionStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/** What the read models know about a workflow's past runs, as of the evaluation. */
export interface WorkflowHistory {
  /** Executions started on this local date. */
  attemptsToday: number;
  /** ISO time of the workflow's latest execution start (any day); null if it never ran. */
  lastStartedAt: string | null;
  /** Some execution started on this local date finished `completed`. */
  succeededToday: boolean;
  /**
   * Some execution started on this local date had a scraper return rows. Discovery waits for
   * this, not for `completed`: a 0-row answer may count as success (treat_no_data_as_success)
   * while the data it looks for has not appeared yet.
   */
  foundDataToday: boolean;
  /** Status of the latest execution (any day); null if it never ran. */
  lastStatus: ExecutionStatus | null;
}

export interface DecisionContext {
  now: Date;
  timezone: string;
  /** YYYY-MM-DD in `timezone`. */
  localDate: string;
  /** HH:MM in `timezone`. */
  localTime: string;
  /** The controller's evaluation interval (settings.controller_interval_minutes): one slot. */
  evaluationIntervalMinutes: number;
  /** A `running` execution older than this is presumed lost and no longer blocks a new run. */
  runningLimitMs: number;
  history: WorkflowHistory;
  games: GamesOnDate;
}

export interface Decision {
  action: DecisionAction;
  reason: string;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;
/**
 * RUN, SKIP or ABORT for one workflow at one evaluation, with the reason for humans. Pure.
 * SKIP = not now (maybe later); ABORT = not again today (its daily budget is spent).
 */
export function decideWorkflow(workflow: WorkflowDefinition, context: DecisionContext): Decision {
  if (!workflow.enabled) return skip('Disabled in config');
  const running = stillRunning(context);
  if (running) return running;
  return decideBySchedule(workflow.schedule, context);
}

function decideBySchedule(schedule: WorkflowSchedule, context: DecisionContext): Decision {
  const minute = parseHhmm(context.localTime);
  const { history } = context;
  switch (schedule.kind) {
    case 'self_aware': {
      const { startHour, endHour } = schedule.idealWindow;
      const window = `${formatMinuteOfDay(startHour * MINUTES_PER_HOUR)}-${formatMinuteOfDay(endHour * MINUTES_PER_HOUR)}`;
      if (history.succeededToday) return skip('Already completed successfully today');
      if (minute < startHour * MINUTES_PER_HOUR || minute >= endHour * MINUTES_PER_HOUR) {
        return skip(`Outside ideal window ${window}`);
      }
      return run(`Inside ideal window ${window}, not yet completed today`);
    }
    case 'fixed_time': {
      const target = `${schedule.fixedTime} ±${schedule.toleranceMinutes}min`;
      if (history.succeededToday) return skip('Already completed successfully today');
      if (Math.abs(minute - parseHhmm(schedule.fixedTime)) > schedule.toleranceMinutes) {
        return skip(`Outside fixed time ${target} (now ${context.localTime})`);
      }
      return run(`Fixed time ${target} (now ${context.localTime})`);
    }
    case 'game_aware': {
      const { count, firstGameLocal } = context.games;
      if (count === 0) return skip('No games scheduled');
      const games = `${count} game${count === 1 ? '' : 's'}`;
      if (firstGameLocal !== null) {
        const first = parseHhmm(firstGameLocal);
        const opens = Math.max(0, first - schedule.hoursBeforeFirstGame * MINUTES_PER_HOUR);
        if (minute < opens) {
          return skip(
            `Before window: opens ${formatMinuteOfDay(opens)}, ${hours(schedule.hoursBeforeFirstGame)} before first game ${firstGameLocal}`,
          );
        }
        if (minute >= first) return skip(`First game already started (${firstGameLocal})`);
      }
      const tooSoon = tooSoonSince(schedule.frequencyHours, context);
      if (tooSoon) return tooSoon;
      return run(
        firstGameLocal === null
          ? `${games} today (first game time unknown)`
          : `${games} today, first game ${firstGameLocal}: inside the ${hours(schedule.hoursBeforeFirstGame)} pre-game window`,
      );
    }
    case 'discovery': {
      const attempts = `${history.attemptsToday}/${schedule.maxAttemptsPerDay}`;
      if (history.foundDataToday) return skip('Data found today');
      if (history.attemptsToday >= schedule.maxAttemptsPerDay) {
        return { action: 'ABORT', reason: `Max attempts reached (${attempts})` };
      }
      const tooSoon = tooSoonSince(schedule.minIntervalHours, context);
      if (tooSoon) return tooSoon;
      return run(`Attempt ${history.attemptsToday + 1}/${schedule.maxAttemptsPerDay}`);
    }
  }
}

function stillRunning(context: DecisionContext): Decision | null {
  const { lastStatus, lastStartedAt } = context.history;
  if (lastStatus !== 'running' || lastStartedAt === null) return null;
  const startedAt = new Date(lastStartedAt);
  if (context.now.getTime() - startedAt.getTime() >= context.runningLimitMs) return null;
  return skip(`Still running (started ${localTime(startedAt, context.timezone).time})`);
}

/**
 * SKIP "Ran 1.5h ago (every 2h)" until `everyHours` of evaluation slots have passed since the slot
 * of the last start. Slots are the evaluation interval's slices of UTC time (the local hours with
 * hourly evaluation), so a run that started seconds after its 13:00 evaluation is due again at
 * the 15:00 one whatever the scheduler's jitter, and a manual run at 13:30 is due at 15:00 too.
 */
function tooSoonSince(everyHours: number, context: DecisionContext): Decision | null {
  const { lastStartedAt } = context.history;
  if (lastStartedAt === null) return null;
  const slotMs = context.evaluationIntervalMinutes * MS_PER_MINUTE;
  const lastMs = Date.parse(lastStartedAt);
  const slotsElapsed = Math.floor(context.now.getTime() / slotMs) - Math.floor(lastMs / slotMs);
  if (slotsElapsed * context.evaluationIntervalMinutes >= everyHours * MINUTES_PER_HOUR)
    return null;
  const elapsedHours = Math.max(0, context.now.getTime() - lastMs) / MS_PER_HOUR;
  return skip(`Ran ${hours(elapsedHours)} ago (every ${hours(everyHours)})`);
}

/** `1.5h`, `2h`, `0.3h`. */
function hours(value: number): string {
  return `${Number(value.toFixed(1))}h`;
}

const run = (reason: string): Decision => ({ action: 'RUN', reason });
const skip = (reason: string): Decision => ({ action: 'SKIP', reason });
