import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALERTS, type AlertPort, type AlertSeverity } from '../../../common/alerts/alert.port.js';
import { GameScheduleUnavailableError } from '../decisions/game-schedule-unavailable.error.js';
import {
  GAME_SCHEDULE,
  type GameSchedule,
  type GamesOnDate,
} from '../decisions/game-schedule.port.js';
import { outsideWindow } from '../decisions/timing-window.js';
import { WORKFLOWS_DEFINITION } from '../decisions/workflows-definition.token.js';
import { localTime } from '../local-time.js';
import type {
  AlertLevel,
  WorkflowDefinition,
  WorkflowsDefinition,
} from '../workflow-config.types.js';
import type {
  WorkflowEvaluationRecorded,
  WorkflowExecutionFinished,
  WorkflowExecutionStarted,
} from '../workflow.events.js';

const SEVERITY: Record<AlertLevel, AlertSeverity> = {
  CRITICAL: 'critical',
  WARNING: 'warning',
  INFO: 'info',
};
/** How many execution errors an alert quotes (the execution's page has them all). */
const QUOTED_ERRORS = 3;

/**
 * The alerts a workflow's `alerts:` asks for, raised through the alert port at the level it
 * gives: `failure` (an execution finished failed), `timing_drift` (an execution started outside
 * the workflow's window) and `max_attempts_reached` (discovery gave up for the day). A condition
 * without a level raises nothing. Each is raised once per key (execution, or workflow and day).
 */
@Injectable()
export class WorkflowAlertsService {
  private readonly logger = new Logger(WorkflowAlertsService.name);

  constructor(
    @Inject(ALERTS) private readonly alerts: AlertPort,
    @Inject(WORKFLOWS_DEFINITION) private readonly definition: WorkflowsDefinition,
    @Inject(GAME_SCHEDULE) private readonly games: GameSchedule,
  ) {}

  async executionFinished(finished: WorkflowExecutionFinished): Promise<void> {
    const level = this.workflow(finished.workflow)?.alerts.failure;
    if (!level || finished.status !== 'failed') return;
    const counts = Object.entries(finished.counts)
      .filter(([, n]) => n > 0)
      .map(([outcome, n]) => `${n} ${outcome}`)
      .join(', ');
    await this.alerts.raise({
      key: `workflow-failed:${finished.execution_id}`,
      kind: 'workflow_execution_failed',
      severity: SEVERITY[level],
      summary:
        `workflow ${finished.workflow} execution ${finished.execution_id} failed (${counts}): ` +
        (finished.errors.slice(0, QUOTED_ERRORS).join('; ') || 'no error text'),
      details: {
        workflow: finished.workflow,
        execution_id: finished.execution_id,
        counts: finished.counts,
        errors: finished.errors.slice(0, QUOTED_ERRORS),
      },
    });
  }

  async executionStarted(started: WorkflowExecutionStarted): Promise<void> {
    const workflow = this.workflow(started.workflow);
    const level = workflow?.alerts.timingDrift;
    if (!workflow || !level) return;
    const local = localTime(new Date(started.started_at), this.definition.timezone);
    // Only a game_aware window depends on the day's games.
    let games: GamesOnDate = { count: 0, firstGameLocal: null };
    if (workflow.schedule.kind === 'game_aware') {
      try {
        games = await this.games.gamesOn(local.date);
      } catch (error) {
        if (!(error instanceof GameScheduleUnavailableError)) throw error;
        // Without the day's games its window is unknown: no drift can be judged (the schedule alerted).
        this.logger.warn(`timing drift of ${started.execution_id} not checked: ${error.message}`);
        return;
      }
    }
    const outside = outsideWindow(workflow.schedule, local.minuteOfDay, games);
    if (!outside) return;
    await this.alerts.raise({
      key: `workflow-timing-drift:${started.execution_id}`,
      kind: 'workflow_timing_drift',
      severity: SEVERITY[level],
      summary:
        `workflow ${started.workflow} (${started.trigger}) started at ${local.time} ` +
        `${this.definition.timezone} on ${local.date}, ${outside}`,
      details: {
        workflow: started.workflow,
        execution_id: started.execution_id,
        trigger: started.trigger,
        started_at: started.started_at,
        local_time: local.time,
      },
    });
  }

  /** ABORT decisions: discovery spent its attempts of the day. Idempotent (key per day). */
  async evaluationRecorded(evaluation: WorkflowEvaluationRecorded): Promise<void> {
    for (const decision of evaluation.decisions) {
      const workflow = this.workflow(decision.workflow);
      const level = workflow?.alerts.maxAttemptsReached;
      if (!level || decision.action !== 'ABORT' || workflow.schedule.kind !== 'discovery') continue;
      await this.alerts.raise({
        key: `workflow-max-attempts:${decision.workflow}:${evaluation.local_date}`,
        kind: 'workflow_max_attempts_reached',
        severity: SEVERITY[level],
        summary: `workflow ${decision.workflow} gave up for ${evaluation.local_date}: ${decision.reason}`,
        details: {
          workflow: decision.workflow,
          local_date: evaluation.local_date,
          evaluation_id: evaluation.evaluation_id,
          reason: decision.reason,
        },
      });
    }
  }

  private workflow(name: string): WorkflowDefinition | undefined {
    return this.definition.workflows.find((workflow) => workflow.name === name);
  }
}
