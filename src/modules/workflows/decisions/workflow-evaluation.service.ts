import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import {
  aggregateStream,
  handleCommand,
  STORAGE,
  type Storage,
} from '../../../common/event-store/index.js';
import type { WorkflowDefinition, WorkflowsDefinition } from '../workflow-config.types.js';
import {
  workflowEvaluationStream,
  type WorkflowDecision,
  type WorkflowEvaluationRecorded,
} from '../workflow.events.js';
import { evaluationDecider } from '../workflow-evaluation.decider.js';
import { addDays } from '../../../common/clock/calendar-days.js';
import { WorkflowAlertsService } from '../alerts/workflow-alerts.service.js';
import { GAME_SCHEDULE, type GameSchedule, type GamesOnDate } from './game-schedule.port.js';
import { GameScheduleUnavailableError } from './game-schedule-unavailable.error.js';
import { localTime, type LocalTime } from '../local-time.js';
import { decideWorkflow } from './workflow.decider.js';
import { WorkflowHistoryReader } from './workflow-history.reader.js';
import { WORKFLOWS_DEFINITION } from './workflows-definition.token.js';

export interface EvaluationResponse {
  evaluation_id: string;
  hour_key: string;
  local_date: string;
  timezone: string;
  evaluated_at: string;
  /** True when this hour had already been evaluated: these are the first evaluation's decisions. */
  replayed: boolean;
  decisions: WorkflowDecision[];
  /**
   * Present (true) when the decisions were made while events committed to the log were not yet
   * readable (PostgreSQL: a transaction open elsewhere held them back past the wait), so the
   * execution history they read may miss the newest runs.
   */
  view_may_lag?: true;
}

const PRIORITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
/** Yesterday's games when no enabled workflow decides on them. */
const NOT_READ: GamesOnDate = { count: 0, firstGameLocal: null };

export const evaluationIdempotencyKey = (hourKey: string) => `workflow-evaluate:${hourKey}`;

/**
 * POST /v1/workflows/evaluate: decides every workflow once per local hour and records the
 * decisions as one WorkflowEvaluationRecorded event (the executor runs the RUN ones).
 */
@Injectable()
export class WorkflowEvaluationService {
  private readonly logger = new Logger(WorkflowEvaluationService.name);

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WORKFLOWS_DEFINITION) private readonly definition: WorkflowsDefinition,
    @Inject(GAME_SCHEDULE) private readonly games: GameSchedule,
    private readonly history: WorkflowHistoryReader,
    private readonly alerts: WorkflowAlertsService,
  ) {}

  /**
   * Decides (or replays the hour's decisions) and raises the alerts they call for; raising is
   * idempotent, so a replay after a failure between the two raises what was missed.
   */
  async evaluate(): Promise<EvaluationResponse> {
    const response = await this.decideOrReplay();
    await this.alerts.evaluationRecorded(response);
    return response;
  }

  private async decideOrReplay(): Promise<EvaluationResponse> {
    const now = this.clock.now();
    const local = localTime(now, this.definition.timezone);
    const stream = workflowEvaluationStream(local.hourKey);
    const earlier = await this.firstEvaluation(stream);
    if (earlier) return respond(earlier, true);

    const { viewMayLag } = await this.history.catchUp();
    const recorded: WorkflowEvaluationRecorded = {
      evaluation_id: randomUUID(),
      hour_key: local.hourKey,
      local_date: local.date,
      timezone: this.definition.timezone,
      evaluated_at: now.toISOString(),
      decisions: await this.decideAll(now, local),
    };
    // Another evaluation of this hour may win meanwhile: reading the stream again, the decider
    // replays it (also once its idempotency key has expired).
    const { decision, append } = await handleCommand(
      this.storage,
      stream,
      evaluationDecider,
      { kind: 'record', recorded },
      undefined,
      { idempotencyKey: evaluationIdempotencyKey(local.hourKey) },
    );
    if (decision.kind === 'replay') return respond(decision.recorded, true);
    if (append && !append.duplicate) {
      return { ...respond(recorded, false), ...(viewMayLag ? { view_may_lag: true } : {}) };
    }
    const first = await this.firstEvaluation(stream);
    if (!first) {
      throw new Error(
        `evaluation of hour ${local.hourKey} was reported as already recorded, but stream ${stream} is empty; ` +
          'check the event store (GET /v1/streams)',
      );
    }
    return respond(first, true);
  }

  private async decideAll(now: Date, local: LocalTime): Promise<WorkflowDecision[]> {
    const games = await this.gamesOrNull(local.date);
    const lookBack = this.definition.workflows.some(
      (workflow) => workflow.enabled && workflow.schedule.kind === 'game_aware_yesterday',
    );
    // Read only when a workflow looks at yesterday (each read may be a BigQuery query).
    const gamesYesterday = lookBack ? await this.gamesOrNull(addDays(local.date, -1)) : NOT_READ;
    const ordered = [...this.definition.workflows].sort(
      (a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority),
    );
    return Promise.all(
      ordered.map(async (workflow) => ({
        workflow: workflow.name,
        ...decideWorkflow(workflow, await this.history.history(workflow.name, local.date), {
          now,
          timezone: this.definition.timezone,
          localDate: local.date,
          localTime: local.time,
          evaluationIntervalMinutes: this.definition.controllerIntervalMinutes,
          runningLimitMs: this.config.timeouts.workflowExecutionMs,
          games,
          gamesYesterday,
        }),
        ...labels(workflow),
      })),
    );
  }

  /** The games of a date, or null when the schedule could not be read (the adapter alerted). */
  private async gamesOrNull(localDate: string): Promise<GamesOnDate | null> {
    try {
      return await this.games.gamesOn(localDate);
    } catch (error) {
      if (!(error instanceof GameScheduleUnavailableError)) throw error;
      this.logger.warn(error.message);
      return null;
    }
  }

  private async firstEvaluation(stream: string): Promise<WorkflowEvaluationRecorded | null> {
    return (await aggregateStream(this.storage, stream, evaluationDecider)).state.recorded;
  }
}

function labels(workflow: WorkflowDefinition) {
  return { priority: workflow.priority, decision_type: workflow.decisionType };
}

function respond(recorded: WorkflowEvaluationRecorded, replayed: boolean): EvaluationResponse {
  return {
    evaluation_id: recorded.evaluation_id,
    hour_key: recorded.hour_key,
    local_date: recorded.local_date,
    timezone: recorded.timezone,
    evaluated_at: recorded.evaluated_at,
    replayed,
    decisions: recorded.decisions,
  };
}
