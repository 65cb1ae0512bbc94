import { defineProjection } from '../../common/projections/projection-definition.js';
import { PHASE2_EVENTS, type Phase2Event } from './phase2.events.js';
import { evolvePhase2, initialPhase2State, type Phase2State } from './phase2.state.js';
import { PHASE_STATUS_COLLECTION, PHASE_STATUS_PROJECTION } from './phase-status.view.js';

/** The phase-2 state of every game date, folded with the deciders' own evolve: one document per date. */
export const phaseStatusProjection = defineProjection<Phase2Event>()({
  name: PHASE_STATUS_PROJECTION,
  eventTypes: Object.values(PHASE2_EVENTS),
  collections: [PHASE_STATUS_COLLECTION],
  async apply(event, tx) {
    const gameDate = event.data.game_date;
    const state =
      (await tx.get<Phase2State>(PHASE_STATUS_COLLECTION, gameDate)) ??
      initialPhase2State(gameDate);
    const next = evolvePhase2(state, event);
    await tx.put(PHASE_STATUS_COLLECTION, gameDate, { ...next, version: event.streamVersion });
  },
});
