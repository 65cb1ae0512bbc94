import type { ScheduledTimer } from '../../common/event-store/index.js';
import { PHASE2_EVENTS, phase2Stream, type Phase2DeadlineDue } from './phase2.events.js';

/** One deadline per game date (scheduling is idempotent by id). */
export const deadlineTimerId = (gameDate: string) => `phase2-deadline:${gameDate}`;

/** The durable timer that appends Phase2DeadlineDue to `phase2-<game_date>` at `dueAtMs`. */
export function deadlineTimer(gameDate: string, dueAtMs: number): ScheduledTimer {
  const data: Phase2DeadlineDue = { game_date: gameDate };
  return {
    timerId: deadlineTimerId(gameDate),
    streamId: phase2Stream(gameDate),
    dueAtMs,
    event: { type: PHASE2_EVENTS.deadlineDue, data },
  };
}
