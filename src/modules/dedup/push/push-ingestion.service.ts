import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { getLogContext, updateLogContext } from '../../../common/logging/index.js';
import { MetricsService } from '../../../common/metrics/metrics.service.js';
import type { PushPlanner } from '../../../common/ingestion/push-planner.js';
import type { PulledOutcome } from '../../../common/transport/pubsub/ack-decision.js';
import type { PulledMessage } from '../../../common/transport/pubsub/pulled-message.js';
import { DeliveryCounts } from '../stats/delivery-counts.js';
import { pulledEnvelope } from './pulled-envelope.js';
import { PushPipeline } from './push-pipeline.js';
import type { PushOutcome } from './push-outcome.js';

/**
 * What push controllers and pull handlers call: run the delivery through the pipeline, log once,
 * count; a push is answered over HTTP, a pulled message's outcome goes back to the pull transport
 * (which acks or nacks by it).
 */
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

  /** The endpoints whose planners are registered, sorted. */
  get endpoints(): string[] {
    return [...this.planners.keys()].sort();
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
    this.record(planner.endpoint, 'push', result, performance.now() - started);
    res.status(result.status);
    for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
    if (result.body) res.json(result.body);
    else res.end();
  }

  /**
   * A pulled message, through the same pipeline and under the same idempotency key as the same
   * message pushed (pulled-envelope.ts). Its metrics are the pull transport's (PullMetrics).
   */
  async receivePulled<T>(
    planner: PushPlanner<T>,
    message: PulledMessage,
  ): Promise<PushOutcome & PulledOutcome> {
    this.registerPlanner(planner);
    const started = performance.now();
    const result = await this.pipeline.process(planner, pulledEnvelope(message), {
      kind: 'delivery',
    });
    this.record(planner.endpoint, 'pull', result, performance.now() - started);
    return result;
  }

  private record(
    endpoint: string,
    transport: 'push' | 'pull',
    result: PushOutcome,
    latencyMs: number,
  ): void {
    if (transport === 'push') this.metrics.countPush(endpoint, result.outcome);
    this.counts.count(endpoint, result.outcome);
    const message = result.message;
    if (getLogContext() && message) {
      updateLogContext({ messageId: message.messageId, subscription: message.subscription });
    }
    const line = {
      endpoint,
      transport,
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
