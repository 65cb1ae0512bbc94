import type { WorkflowSchedule } from '../workflow-config.types.js';
import { formatMinuteOfDay, parseHhmm } from '../local-time.js';
import type { GamesOnDate } from './game-schedule.port.js';
import { isAtFixedTime } from './workflow.decider.js';

const MINUTES_PER_HOUR = 60;
const hourText = (hour: number) => formatMinuteOfDay(hour * MINUTES_PER_HOUR);

/**
 * Why a run starting at local `minuteOfDay` is outside the workflow's window (the time its
 * schedule runs it at), or null when inside. Discovery has no window. Pure; drives the
 * `timing_drift` alert of a manual or late run.
 */
export function outsideWindow(
  schedule: WorkflowSchedule,
  minuteOfDay: number,
  gamesToday: GamesOnDate,
): string | null {
  switch (schedule.kind) {
    case 'self_aware': {
      const { startHour, endHour } = schedule.idealWindow;
      const inside =
        minuteOfDay >= startHour * MINUTES_PER_HOUR && minuteOfDay < endHour * MINUTES_PER_HOUR;
      return inside ? null : `outside its ideal window ${hourText(startHour)}-${hourText(endHour)}`;
    }
    case 'fixed_time':
    case 'game_aware_yesterday':
    case 'game_aware_early':
      return isAtFixedTime(schedule, minuteOfDay)
        ? null
        : `not within ${schedule.toleranceMinutes} min of ${schedule.fixedTime}`;
    case 'game_aware': {
      if (gamesToday.count === 0) return 'no games today, so no window';
      const { start, end } = schedule.businessHours;
      if (minuteOfDay < start * MINUTES_PER_HOUR || minuteOfDay >= end * MINUTES_PER_HOUR) {
        return `outside business hours ${hourText(start)}-${hourText(end)}`;
      }
      if (gamesToday.firstGameLocal === null) return null;
      const opens =
        parseHhmm(gamesToday.firstGameLocal) - schedule.windowBeforeGameHours * MINUTES_PER_HOUR;
      return minuteOfDay < opens ? `before its window (opens ${formatMinuteOfDay(opens)})` : null;
    }
    case 'discovery':
      return null;
  }
}
