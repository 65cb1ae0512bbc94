import type { FixedTime, WorkflowDefinition, WorkflowSchedule } from '../workflow-config.types.js';
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
  /** Games of `localDate`; null when the schedule could not be read. */
  games: GamesOnDate | null;
  /** Games of the local date before `localDate` (game_aware_yesterday); null when unreadable. */
  gamesYesterday: GamesOnDate | null;
}

export interface Decision {
  action: DecisionAction;
  reason: string;
}

/** A workflow that needs games when the schedule could not be read (an alert says why). */
const SCHEDULE_UNAVAILABLE = 'Game schedule unavailable (see the game_schedule_unavailable alert)';

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;

/**
 * RUN, SKIP or ABORT for one workflow given its past runs, at one evaluation, with the reason for
 * humans. Pure.
 * SKIP = not now (maybe later); ABORT = not again today (its daily budget is spent).
 */
export function decideWorkflow(
  workflow: WorkflowDefinition,
  history: WorkflowHistory,
  context: DecisionContext,
): Decision {
  if (!workflow.enabled) return skip('Disabled in config');
  const running = stillRunning(history, context);
  if (running) return running;
  return decideBySchedule(workflow.schedule, history, context);
}

function decideBySchedule(
  schedule: WorkflowSchedule,
  history: WorkflowHistory,
  context: DecisionContext,
): Decision {
  const minute = parseHhmm(context.localTime);
  switch (schedule.kind) {
    case 'self_aware': {
      const { startHour, endHour } = schedule.idealWindow;
      const window = `${hourText(startHour)}-${hourText(endHour)}`;
      if (schedule.runOnceDaily && history.succeededToday) {
        return skip('Already completed successfully today');
      }
      if (minute < startHour * MINUTES_PER_HOUR || minute >= endHour * MINUTES_PER_HOUR) {
        return skip(`Outside ideal window ${window}`);
      }
      return run(
        schedule.runOnceDaily
          ? `Inside ideal window ${window}, not yet completed today`
          : `Inside ideal window ${window}`,
      );
    }
    case 'fixed_time': {
      if (history.succeededToday) return skip('Already completed successfully today');
      return notAtFixedTime(schedule, context) ?? run(`Within ${atFixedTime(schedule, context)}`);
    }
    case 'game_aware':
      return decideGameAware(schedule, history, context, minute);
    case 'game_aware_yesterday': {
      if (context.gamesYesterday === null) return skip(SCHEDULE_UNAVAILABLE);
      const { count } = context.gamesYesterday;
      if (count === 0) return skip('No games yesterday');
      if (history.succeededToday) return skip('Already completed successfully today');
      return (
        notAtFixedTime(schedule, context) ??
        run(`${gamesText(count)} yesterday; within ${atFixedTime(schedule, context)}`)
      );
    }
    case 'game_aware_early':
      return decideGameAwareEarly(schedule, history, context, minute);
    case 'discovery': {
      const attempts = `${history.attemptsToday}/${schedule.maxAttemptsPerDay}`;
      if (schedule.requiresGameDay) {
        if (context.games === null) return skip(SCHEDULE_UNAVAILABLE);
        if (context.games.count === 0) return skip('No games today');
      }
      if (history.foundDataToday) return skip('Data found today');
      if (history.attemptsToday >= schedule.maxAttemptsPerDay) {
        return { action: 'ABORT', reason: `Max attempts reached (${attempts})` };
      }
      const due = dueAt(schedule.retryIntervalHours, history, context);
      if (due) {
        return skip(
          `Retry in ${hours(due.inHours)} (last attempt ${hours(due.agoHours)} ago, every ${hours(schedule.retryIntervalHours)})`,
        );
      }
      return run(`Attempt ${history.attemptsToday + 1}/${schedule.maxAttemptsPerDay}`);
    }
  }
}

/**
 * On a game day, from `window_before_game_hours` before the first game (clipped to business
 * hours), every `frequency_hours`, until the end of business hours: closing lines are collected
 * after tip-off too.
 */
function decideGameAware(
  schedule: Extract<WorkflowSchedule, { kind: 'game_aware' }>,
  history: WorkflowHistory,
  context: DecisionContext,
  minute: number,
): Decision {
  if (context.games === null) return skip(SCHEDULE_UNAVAILABLE);
  const { count, firstGameLocal } = context.games;
  if (count === 0) return skip('No games scheduled today');
  const { start, end } = schedule.businessHours;
  if (minute < start * MINUTES_PER_HOUR || minute >= end * MINUTES_PER_HOUR) {
    return skip(`Outside business hours ${hourText(start)}-${hourText(end)}`);
  }
  const before = hours(schedule.windowBeforeGameHours);
  if (firstGameLocal !== null) {
    const opens = parseHhmm(firstGameLocal) - schedule.windowBeforeGameHours * MINUTES_PER_HOUR;
    if (minute < opens) {
      return skip(
        `Before window: opens ${formatMinuteOfDay(opens)}, ${before} before first game ${firstGameLocal}`,
      );
    }
  }
  const due = dueAt(schedule.frequencyHours, history, context);
  if (due) return skip(`Ran ${hours(due.agoHours)} ago (every ${hours(schedule.frequencyHours)})`);
  const closes = hourText(end);
  return run(
    firstGameLocal === null
      ? `${gamesText(count)} today (first game time unknown), until ${closes}`
      : `${gamesText(count)} today, first game ${firstGameLocal}: window from ${before} before it until ${closes}`,
  );
}

/**
 * Today's early games (starting before the cutoff hour), collected at the fixed time once at
 * least `collection_delay_hours` have passed since the first of them started.
 */
function decideGameAwareEarly(
  schedule: Extract<WorkflowSchedule, { kind: 'game_aware_early' }>,
  history: WorkflowHistory,
  context: DecisionContext,
  minute: number,
): Decision {
  if (context.games === null) return skip(SCHEDULE_UNAVAILABLE);
  const { count, firstGameLocal } = context.games;
  const cutoff = schedule.earlyGameCutoffHour * MINUTES_PER_HOUR;
  // The first game of the day is the first early game, when there is one.
  if (count === 0 || firstGameLocal === null || parseHhmm(firstGameLocal) >= cutoff) {
    return skip('No early games today');
  }
  if (history.succeededToday) return skip('Already completed successfully today');
  const notNow = notAtFixedTime(schedule, context);
  if (notNow) return notNow;
  const delay = hours(schedule.collectionDelayHours);
  if (minute < parseHhmm(firstGameLocal) + schedule.collectionDelayHours * MINUTES_PER_HOUR) {
    return skip(`Early games not finished (first tip ${firstGameLocal} + ${delay})`);
  }
  return run(
    `Early games today (first tip ${firstGameLocal} + ${delay}); within ${atFixedTime(schedule, context)}`,
  );
}

/** SKIP unless the local time is within the tolerance of the fixed time (no wrap past midnight). */
function notAtFixedTime(schedule: FixedTime, context: DecisionContext): Decision | null {
  if (isAtFixedTime(schedule, parseHhmm(context.localTime))) return null;
  return skip(
    `Not within ${schedule.toleranceMinutes} min of ${schedule.fixedTime} (now ${context.localTime})`,
  );
}

export function isAtFixedTime(schedule: FixedTime, minuteOfDay: number): boolean {
  return Math.abs(minuteOfDay - parseHhmm(schedule.fixedTime)) <= schedule.toleranceMinutes;
}

/** `30 min of 22:00 (now 22:10)`. */
function atFixedTime(schedule: FixedTime, context: DecisionContext): string {
  return `${schedule.toleranceMinutes} min of ${schedule.fixedTime} (now ${context.localTime})`;
}

function stillRunning(history: WorkflowHistory, context: DecisionContext): Decision | null {
  const { lastStatus, lastStartedAt } = history;
  if (lastStatus !== 'running' || lastStartedAt === null) return null;
  const startedAt = new Date(lastStartedAt);
  if (context.now.getTime() - startedAt.getTime() >= context.runningLimitMs) return null;
  return skip(`Still running (started ${localTime(startedAt, context.timezone).time})`);
}

/**
 * Null when due; else how long ago the last start was and in how long it is due. Due once
 * `everyHours` of evaluation slots have passed since the slot of the last start. Slots are the
 * evaluation interval's slices of UTC time (the local hours with hourly evaluation), so a run that
 * started seconds after its 13:00 evaluation is due again at the 15:00 one whatever the
 * scheduler's jitter, and a manual run at 13:30 is due at 15:00 too.
 */
function dueAt(
  everyHours: number,
  history: WorkflowHistory,
  context: DecisionContext,
): { agoHours: number; inHours: number } | null {
  const { lastStartedAt } = history;
  if (lastStartedAt === null) return null;
  const slotMs = context.evaluationIntervalMinutes * MS_PER_MINUTE;
  const lastMs = Date.parse(lastStartedAt);
  const nowMs = context.now.getTime();
  const lastSlot = Math.floor(lastMs / slotMs);
  const slotsNeeded = Math.ceil(
    (everyHours * MINUTES_PER_HOUR) / context.evaluationIntervalMinutes,
  );
  if (Math.floor(nowMs / slotMs) - lastSlot >= slotsNeeded) return null;
  return {
    agoHours: Math.max(0, nowMs - lastMs) / MS_PER_HOUR,
    inHours: ((lastSlot + slotsNeeded) * slotMs - nowMs) / MS_PER_HOUR,
  };
}

/** `1.5h`, `2h`, `0.3h`. */
function hours(value: number): string {
  return `${Number(value.toFixed(1))}h`;
}

/** `06:00` for hour 6 (hours may be fractional or 24). */
function hourText(hour: number): string {
  return formatMinuteOfDay(hour * MINUTES_PER_HOUR);
}

function gamesText(count: number): string {
  return `${count} game${count === 1 ? '' : 's'}`;
}

const run = (reason: string): Decision => ({ action: 'RUN', reason });
const skip = (reason: string): Decision => ({ action: 'SKIP', reason });
