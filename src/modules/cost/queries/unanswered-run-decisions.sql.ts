import type { TableSource } from './table-source.js';

/** RUN decisions of the range that no execution of the range answers (shared by two queries). */
export const unansweredRunDecisionsSql = (source: TableSource) => `
SELECT d.decision_id, d.workflow_name, d.decision_time, d.priority
FROM ${source('workflow_decisions')} AS d
LEFT JOIN ${source('workflow_executions')} AS e ON e.decision_id = d.decision_id
WHERE d.action = 'RUN' AND e.execution_id IS NULL
ORDER BY d.decision_time, d.workflow_name`;
