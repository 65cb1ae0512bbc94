import type { Phase2State } from './phase2.state.js';

const MS_PER_MINUTE = 60_000;
const FLAG = 'ENABLE_PHASE2_COMPLETION_DEADLINE';

/** The deadline as it applies to a game date now: the flag for the date and its duration. */
export interface DeadlineSetting {
  enabled: boolean;
  deadlineMs: number;
}

/**
 * Why a date has no deadline that will fire, in words for an operator (null when `deadline_at` is
 * set and will fire). With the flag off a date waits for its required processors with no deadline,
 * as before the deadline existed; the view says so instead of leaving `deadline_at: null` unexplained.
 */
export function deadlineReason(state: Phase2State, setting: DeadlineSetting): string | null {
  const date = state.game_date;
  if (state.trigger) {
    return state.deadline_at === null ? `phase 3 is triggered (${state.trigger.reason})` : null;
  }
  const waits =
    'phase 3 waits for every required processor with no deadline ' +
    `(or trigger it by hand: POST /v1/phases/${date}/trigger)`;
  if (!setting.enabled) {
    return state.deadline_at === null
      ? `${FLAG} is off for ${date}: ${waits}`
      : `${FLAG} is off for ${date} now: the deadline at ${state.deadline_at} will not fire; ${waits}`;
  }
  if (state.deadline_at !== null) return null;
  const minutes = Math.round((setting.deadlineMs / MS_PER_MINUTE) * 100) / 100;
  if (state.first_completion_at === null) {
    return `no completion yet: the first one sets the deadline ${minutes} min after it`;
  }
  return (
    `${FLAG} was off for ${date} when its completions arrived: the next completion sets the ` +
    `deadline ${minutes} min after the first (${state.first_completion_at})`
  );
}
