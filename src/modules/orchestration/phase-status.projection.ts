import { defineProjection } from '../../common/projections/projection-definition.js';
import { PHASE2_EVENTS, type Phase2Event } from './phase2.events.js';
import { evolvePhase2, initialPhase2State } from './phase2.state.js';
import type { PhaseStatusDocument } from './phase-status.document.js';
import { PHASE_STATUS_COLLECTION, PHASE_STATUS_PROJECTION } from './phase-status.view.js';

/**
 * The phase-2 state of every game date, folded with the deciders' own evolve, and the id of its
 * Phase3Triggered event: one document per date.
 */
export const phaseStatusProjection = defineProjection<Phase2Event>()({
  name: PHASE_STATUS_PROJECTION,
  eventTypes: Object.values(PHASE2_EVENTS),
  collections: [PHASE_STATUS_COLLECTION],
  async apply(event, tx) {
    const gameDate = event.data.game_date;
    const stored = await tx.get<PhaseStatusDocument>(PHASE_STATUS_COLLECTION, gameDate);
    const state = stored ?? { ...initialPhase2State(gameDate), trigger_event_id: null };
    const document: PhaseStatusDocument = {
      ...evolvePhase2(state, event),
      version: event.streamVersion,
      trigger_event_id:
        event.type === PHASE2_EVENTS.phase3Triggered
          ? event.eventId
          : (state.trigger_event_id ?? null),
    };
    await tx.put(PHASE_STATUS_COLLECTION, gameDate, document);
  },
});
