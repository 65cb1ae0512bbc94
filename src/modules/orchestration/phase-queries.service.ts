import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import { boundedPage } from '../../common/http/page-budget.js';
import { initialPhase2State, type Phase2State } from './phase2.state.js';
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
    const state = await this.storage.readModels.get<Phase2State>(PHASE_STATUS_COLLECTION, gameDate);
    return this.view(state ?? initialPhase2State(gameDate));
  }

  /**
   * Dates of the range (inclusive) that have phase-2 activity, oldest first. A range whose views
   * pass RESPONSE_PAGE_MAX_BYTES ends early: `next` is then the `from` of the rest of the range.
   */
  async list(range: PhaseRangeQuery): Promise<{ items: PhaseView[]; next: string | null }> {
    const limit = MAX_RANGE_DAYS + 1;
    const page = await this.storage.readModels.list<Phase2State>(PHASE_STATUS_COLLECTION, {
      after: addDays(range.from, -1),
      until: range.to,
      limit,
    });
    return boundedPage(
      page.map((entry) => ({ item: this.view(entry.doc), cursor: addDays(entry.key, 1) })),
      limit,
      this.config.server.responsePageMaxBytes,
    );
  }

  view(state: Phase2State): PhaseView {
    return toPhaseView(state, this.processors.phases[PHASE2]!, {
      enabled: this.config.flags.isEnabled('ENABLE_PHASE2_COMPLETION_DEADLINE', state.game_date),
      deadlineMs: this.config.timeouts.phase2CompletionDeadlineMs,
    });
  }
}
