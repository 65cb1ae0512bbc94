import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { getLogContext, updateLogContext } from '../../../common/logging/index.js';
import { MetricsService } from '../../../common/metrics/metrics.service.js';
import type { PushHandler } from '../../../common/ingestion/push-handler.js';
import { DeliveryCounts } from '../stats/delivery-counts.js';
import { PushPipeline } from './push-pipeline.js';
import type { PushOutcome } from './push-outcome.js';

/** What push controllers call: run the request through the pipeline, answer, log once, count. */
@Injectable()
export class PushIngestionService {
  private readonly logger = new Logger('PushIngestion');
  private readonly handlers = new Map<string, PushHandler<unknown>>();

  constructor(
    private readonly pipeline: PushPipeline,
    private readonly metrics: MetricsService,
    private readonly counts: DeliveryCounts,
  ) {}

  /** Makes an endpoint's handler known for quarantine replays (call in onModuleInit). */
  registerHandler<T>(handler: PushHandler<T>): void {
    this.handlers.set(handler.endpoint, handler as PushHandler<unknown>);
  }

  handlerFor(endpoint: string): PushHandler<unknown> | undefined {
    return this.handlers.get(endpoint);
  }

  async respond<T>(handler: PushHandler<T>, req: Request, res: Response): Promise<void> {
    this.registerHandler(handler);
    const started = performance.now();
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(JSON.stringify(req.body ?? ''));
    const result = await this.pipeline.process(
      handler,
      { body, headers: req.headers },
      { kind: 'delivery' },
    );
    this.record(handler.endpoint, result, performance.now() - started);
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
