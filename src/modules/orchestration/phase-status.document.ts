import type { Phase2State } from './phase2.state.js';

/**
 * A phase-status document: the date's Phase2State and the id of its Phase3Triggered event (the
 * outbox derives the trigger message's id from it). A triggered document without one (folded
 * before the id was kept) has it read from the date's stream by the query service.
 */
export interface PhaseStatusDocument extends Phase2State {
  trigger_event_id?: string | null;
}
