import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { STORAGE, streamEvents, type Storage } from '../../common/event-store/index.js';
import { boundedPage } from '../../common/http/page-budget.js';
import { outboxMessageId } from '../../common/outbox/outbox-route.js';
import { PHASE2_EVENTS, phase2Stream, type Phase2Event } from './phase2.events.js';
import { initialPhase2State } from './phase2.state.js';
import type { PhaseStatusDocument } from './phase-status.document.js';
import { PHASE_STATUS_COLLECTION, toPhaseView, type PhaseView } from './phase-status.view.js';
import { addDays } from '../../common/clock/calendar-days.js';
import { MAX_RANGE_DAYS, type PhaseRangeQuery } from './phase-queries.schema.js';
import { PHASE2, PROCESSORS_CONFIG, type ProcessorsConfig } from './processors-config.js';

/** The phase-status read model, by game date. */
@Injectable()
export class PhaseQueriesService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(PROCESSORS_CONFIG) private readonly processors: ProcessorsConfig,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A date nothing has reported for answers `not_started` with every required processor missing. */
  async get(gameDate: string): Promise<PhaseView> {
    const state = await this.storage.readModels.get<PhaseStatusDocument>(
      PHASE_STATUS_COLLECTION,
      gameDate,
    );
    return this.view(state ?? initialPhase2State(gameDate));
  }

  /**
   * Dates of the range (inclusive) that have phase-2 activity, oldest first. A range whose views
   * pass RESPONSE_PAGE_MAX_BYTES ends early: `next` is then the `from` of the rest of the range.
   */
  async list(range: PhaseRangeQuery): Promise<{ items: PhaseView[]; next: string | null }> {
    const limit = MAX_RANGE_DAYS + 1;
    const page = await this.storage.readModels.list<PhaseStatusDocument>(PHASE_STATUS_COLLECTION, {
      after: addDays(range.from, -1),
      until: range.to,
      limit,
    });
    const views = await Promise.all(page.map((entry) => this.view(entry.doc)));
    return boundedPage(
      page.map((entry, index) => ({ item: views[index]!, cursor: addDays(entry.key, 1) })),
      limit,
      this.config.server.responsePageMaxBytes,
    );
  }

  async view(state: PhaseStatusDocument): Promise<PhaseView> {
    const eventId = await this.triggerEventId(state);
    return toPhaseView(
      state,
      this.processors.phases[PHASE2]!,
      {
        enabled: this.config.flags.isEnabled('ENABLE_PHASE2_COMPLETION_DEADLINE', state.game_date),
        deadlineMs: this.config.timeouts.phase2CompletionDeadlineMs,
      },
      eventId === null ? null : outboxMessageId(this.config.orchestration.phase3Topic, eventId),
    );
  }

  /**
   * The Phase3Triggered event's id: kept in the document since it was added, else (documents
   * folded before, or a state a command just decided) read from the date's stream, which holds
   * one event per report of the date.
   */
  private async triggerEventId(state: PhaseStatusDocument): Promise<string | null> {
    if (state.trigger === null) return null;
    if (typeof state.trigger_event_id === 'string') return state.trigger_event_id;
    for await (const event of streamEvents<Phase2Event>(
      this.storage,
      phase2Stream(state.game_date),
    )) {
      if (event.type === PHASE2_EVENTS.phase3Triggered) return event.eventId;
    }
    return null;
  }
}
