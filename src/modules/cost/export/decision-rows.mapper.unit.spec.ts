import type { WorkflowDefinition } from '../../workflows/workflow-config.types.js';
import type { WorkflowEvaluationRecorded } from '../../workflows/workflow.events.js';
import { alertLevel, decisionRows, type DecisionRowContext } from './decision-rows.mapper.js';

const workflow = (name: string, steps: string[][]): WorkflowDefinition =>
  ({
    name,
    steps: steps.map((scrapers, index) => ({
      name: `step_${index + 1}`,
      type: 'parallel',
      scrapers,
      dependsOn: [],
    })),
  }) as unknown as WorkflowDefinition;

const context: DecisionRowContext = {
  definition: {
    controllerIntervalMinutes: 60,
    workflows: [
      workflow('morning_operations', [
        ['nbac_schedule', 'espn_roster'],
        ['nbac_schedule', 'bdl_box'],
      ]),
      workflow('injury_discovery', [['nbac_injury_report']]),
    ],
  },
  controllerVersion: '1.4.0',
  environment: 'production',
};

const evaluation: WorkflowEvaluationRecorded = {
  evaluation_id: 'ev-1',
  hour_key: '2026-01-22T07',
  local_date: '2026-01-22',
  timezone: 'America/New_York',
  evaluated_at: '2026-01-22T12:00:00.000Z',
  decisions: [
    {
      workflow: 'morning_operations',
      action: 'RUN',
      reason: 'In ideal window 06:00-10:00',
      priority: 'CRITICAL',
      decision_type: 'self_aware',
    },
    {
      workflow: 'injury_discovery',
      action: 'SKIP',
      reason: 'Ran 0.5h ago (every 2h)',
      priority: 'HIGH',
      decision_type: 'discovery',
    },
  ],
};

describe('decisionRows', () => {
  it('given an evaluation, when mapped, then one row per decision keyed <evaluation_id>:<workflow>', () => {
    const rows = decisionRows(evaluation, '2026-01-22T12:00:00.500Z', context);

    expect(rows).toEqual([
      {
        decision_id: 'ev-1:morning_operations',
        decision_time: '2026-01-22T12:00:00.000Z',
        workflow_name: 'morning_operations',
        action: 'RUN',
        reason: 'In ideal window 06:00-10:00',
        context: JSON.stringify({
          evaluation_id: 'ev-1',
          hour_key: '2026-01-22T07',
          local_date: '2026-01-22',
          timezone: 'America/New_York',
          decision_type: 'self_aware',
        }),
        scrapers_triggered: ['nbac_schedule', 'espn_roster', 'bdl_box'],
        target_games: [],
        next_check_time: '2026-01-22T13:00:00.000Z',
        priority: 'CRITICAL',
        alert_level: 'info',
        controller_version: '1.4.0',
        environment: 'production',
        triggered_by: 'controller',
        created_at: '2026-01-22T12:00:00.500Z',
      },
      expect.objectContaining({
        decision_id: 'ev-1:injury_discovery',
        action: 'SKIP',
        scrapers_triggered: [],
        alert_level: 'none',
      }),
    ]);
  });

  it('given the same event twice, when mapped, then the rows are identical (replay-safe)', () => {
    expect(decisionRows(evaluation, 't', context)).toEqual(decisionRows(evaluation, 't', context));
  });

  it('given a RUN of a workflow missing from the config, when mapped, then no scrapers are listed', () => {
    const unknown = {
      ...evaluation,
      decisions: [{ ...evaluation.decisions[0]!, workflow: 'retired_workflow' }],
    };
    expect(decisionRows(unknown, 't', context)[0]!.scrapers_triggered).toEqual([]);
  });
});

describe('alertLevel', () => {
  it.each([
    ['ABORT', 'CRITICAL', 'critical'],
    ['ABORT', 'HIGH', 'error'],
    ['ABORT', 'MEDIUM', 'warning'],
    ['ABORT', 'LOW', 'warning'],
    ['RUN', 'CRITICAL', 'info'],
    ['SKIP', 'CRITICAL', 'none'],
  ] as const)('given %s of a %s workflow, then %s', (action, priority, level) => {
    expect(alertLevel(action, priority)).toBe(level);
  });
});
