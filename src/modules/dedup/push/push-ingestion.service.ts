import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { getLogContext, updateLogContext } from '../../../common/logging/index.js';
import { MetricsService } from '../../../common/metrics/metrics.service.js';
import type { PushPlanner } from '../../../common/ingestion/push-planner.js';
import { DeliveryCounts } from '../stats/delivery-counts.js';
import { PushPipeline } from './push-pipeline.js';
import type { PushOutcome } from './push-outcome.js';

/** What push controllers call: run the request through the pipeline, answer, log once, count. */
@Injectable()
export class PushIngestionService {
  private readonly logger = new Logger('PushIngestion');
  private readonly planners = new Map<string, PushPlanner<unknown>>();

  constructor(
    private readonly pipeline: PushPipeline,
    private readonly metrics: MetricsService,
    private readonly counts: DeliveryCounts,
  ) {}

  /** Makes an endpoint's planner known for quarantine replays (call in onModuleInit). */
  registerPlanner<T>(planner: PushPlanner<T>): void {
    this.planners.set(planner.endpoint, planner as PushPlanner<unknown>);
  }

  plannerFor(endpoint: string): PushPlanner<unknown> | undefined {
    return this.planners.get(endpoint);
  }

  async respond<T>(planner: PushPlanner<T>, req: Request, res: Response): Promise<void> {
    this.registerPlanner(planner);
    const started = performance.now();
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(JSON.stringify(req.body ?? ''));
    const result = await this.pipeline.process(
      planner,
      { body, headers: req.headers },
      { kind: 'delivery' },
    );
    this.record(planner.endpoint, result, performance.now() - started);
    res.status(result.status);
    for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
    if (result.body) res.json(result.body);
    else res.end();
  }

  private record(endpoint: string, result: PushOutcome, latencyMs: number): void {
    this.metrics.countPush(endpoint, result.outcome);
    this.counts.count(endpoint, result.outcome);
    const message = result.message;
    if (getLogContext() && message) {
      updateLogContext({ messageId: message.messageId, subscription: message.subscription });
    }
    const line = {
      endpoint,
      message_id: message?.messageId ?? null,
      subscription: message?.subscription ?? null,
      delivery_attempt: message?.deliveryAttempt ?? null,
      outcome: result.outcome,
      status: result.status,
      quarantine_id: result.quarantineId,
      latency_ms: Math.round(latencyMs * 100) / 100,
      detail: result.detail,
    };
    if (result.status >= 500) this.logger.warn(line);
    else this.logger.log(line);
  }
}
