import { defineProjection } from '../../../common/projections/projection-definition.js';
import { WORKFLOW_EVENTS, type WorkflowEvent } from '../workflow.events.js';
import {
  DECISION_COLLECTIONS,
  evaluationDateKey,
  WORKFLOW_COLLECTIONS as C,
  WORKFLOW_DECISIONS_PROJECTION,
  type EvaluationView,
  type LastDecisionView,
} from './workflow-history.view.js';

/** Hourly evaluations by local date, and each workflow's latest decision. */
export const workflowDecisionsProjection = defineProjection<WorkflowEvent>()({
  name: WORKFLOW_DECISIONS_PROJECTION,
  eventTypes: [WORKFLOW_EVENTS.evaluationRecorded],
  collections: DECISION_COLLECTIONS,
  async apply(event, tx) {
    const data = event.data;
    await tx.put(C.evaluationsByDate, evaluationDateKey(data.local_date, data.hour_key), {
      evaluation_id: data.evaluation_id,
      hour_key: data.hour_key,
      local_date: data.local_date,
      timezone: data.timezone,
      evaluated_at: data.evaluated_at,
      decisions: data.decisions,
    } satisfies EvaluationView);
    for (const decision of data.decisions) {
      const last = await tx.get<LastDecisionView>(C.lastDecision, decision.workflow);
      if (last && last.evaluated_at > data.evaluated_at) continue;
      await tx.put(C.lastDecision, decision.workflow, {
        evaluation_id: data.evaluation_id,
        hour_key: data.hour_key,
        evaluated_at: data.evaluated_at,
        action: decision.action,
        reason: decision.reason,
      } satisfies LastDecisionView);
    }
  },
});
