import { Inject, Injectable } from '@nestjs/common';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
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
  ) {}

  /** A date nothing has reported for answers `not_started` with every required processor missing. */
  async get(gameDate: string): Promise<PhaseView> {
    const state = await this.storage.readModels.get<Phase2State>(PHASE_STATUS_COLLECTION, gameDate);
    return this.view(state ?? initialPhase2State(gameDate));
  }

  /** Dates of the range (inclusive) that have phase-2 activity, oldest first. */
  async list(range: PhaseRangeQuery): Promise<{ items: PhaseView[] }> {
    const page = await this.storage.readModels.list<Phase2State>(PHASE_STATUS_COLLECTION, {
      after: addDays(range.from, -1),
      until: range.to,
      limit: MAX_RANGE_DAYS + 1,
    });
    return { items: page.map((entry) => this.view(entry.doc)) };
  }

  view(state: Phase2State): PhaseView {
    return toPhaseView(state, this.processors.phases[PHASE2]!);
  }
}
