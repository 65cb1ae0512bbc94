import { Injectable, Logger } from '@nestjs/common';
import type { EventOfType, Recorded, RecordedOf } from '../../common/event-store/index.js';
import { defineReaction } from '../../common/projections/reaction-definition.js';
import { TimerScheduler } from '../../common/timers/timer-scheduler.js';
import { PHASE2_EVENTS, type Phase2Event } from './phase2.events.js';
import { deadlineTimer, deadlineTimerId } from './phase2-deadline-timer.js';
import { Phase2StreamService } from './phase2-stream.service.js';

const HANDLED = [
  PHASE2_EVENTS.deadlineScheduled,
  PHASE2_EVENTS.deadlineDue,
  PHASE2_EVENTS.phase3Triggered,
] as const;
type DeadlineDue = Recorded<EventOfType<Phase2Event, typeof PHASE2_EVENTS.deadlineDue>>;

/**
 * The deadline's life: a recorded Phase2DeadlineScheduled becomes a durable timer (so it fires on
 * time with no further message, and after a restart); the timer's Phase2DeadlineDue is decided
 * against the stream (a trigger appended at the version read: at most one per game date); a
 * trigger cancels the timer. Every step is idempotent, as reactions are delivered at least once.
 */
@Injectable()
export class Phase2DeadlineReaction {
  private readonly logger = new Logger(Phase2DeadlineReaction.name);

  constructor(
    private readonly timers: TimerScheduler,
    private readonly stream: Phase2StreamService,
  ) {}

  readonly definition = defineReaction<Phase2Event>()({
    name: 'phase2-deadline',
    eventTypes: HANDLED,
    handle: (event) => this.handle(event),
  });

  private async handle(event: RecordedOf<Phase2Event, typeof HANDLED>): Promise<void> {
    switch (event.type) {
      case PHASE2_EVENTS.deadlineScheduled: {
        const scheduled = event.data;
        await this.timers.schedule(
          deadlineTimer(scheduled.game_date, Date.parse(scheduled.deadline_at)),
        );
        return;
      }
      case PHASE2_EVENTS.deadlineDue:
        return this.deadlineDue(event);
      case PHASE2_EVENTS.phase3Triggered:
        await this.timers.cancel(deadlineTimerId(event.data.game_date));
        return;
    }
  }

  private async deadlineDue(event: DeadlineDue): Promise<void> {
    const gameDate = event.data.game_date;
    const outcome = await this.stream.execute(
      gameDate,
      { kind: 'deadline_due' },
      {
        causationId: event.eventId,
        ...(event.metadata.correlationId ? { correlationId: event.metadata.correlationId } : {}),
      },
    );
    if (outcome.decision.kind === 'nothing') {
      this.logger.log(`phase 2 deadline of ${gameDate} came due: ${outcome.decision.why}`);
    }
  }
}
