import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';
import { RequestStats } from './request-stats.js';

/** Times every request and records it by route template (not raw URL, to keep label cardinality low). */
@Injectable()
export class RequestMetricsMiddleware implements NestMiddleware {
  constructor(
    private readonly metrics: MetricsService,
    private readonly stats: RequestStats,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      this.metrics.observeRequest(req.method, `${req.baseUrl}${route}`, res.statusCode, seconds);
      this.stats.record(seconds * 1000, new Date());
    });
    next();
  }
}
