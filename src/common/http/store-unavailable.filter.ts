import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { msToWholeSeconds } from '../clock/durations.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { StoreUnavailableError } from '../event-store/index.js';

/**
 * A busy or unreachable store is transient: answer 503 with Retry-After (nothing was written),
 * instead of the generic 500 that reads as a bug.
 */
@Catch(StoreUnavailableError)
export class StoreUnavailableFilter implements ExceptionFilter<StoreUnavailableError> {
  private readonly logger = new Logger(StoreUnavailableFilter.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(error: StoreUnavailableError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    this.logger.warn(error.message);
    response
      .status(503)
      .setHeader('Retry-After', String(msToWholeSeconds(this.config.timeouts.storeRetryAfterMs)))
      .json({ statusCode: 503, error: 'Service Unavailable', message: error.message });
  }
}
