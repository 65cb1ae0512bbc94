import {
  Catch,
  Inject,
  Logger,
  ServiceUnavailableException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { msToWholeSeconds } from '../clock/durations.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { StoreUnavailableError } from '../event-store/index.js';

/**
 * Every 503 is transient and says when to come back: a busy or unreachable store (nothing was
 * written; instead of the generic 500 that reads as a bug) and any other "try again" refusal (a
 * read model behind the log, a replay that met a busy store) answer 503 with Retry-After.
 */
@Catch(StoreUnavailableError, ServiceUnavailableException)
export class StoreUnavailableFilter implements ExceptionFilter<
  StoreUnavailableError | ServiceUnavailableException
> {
  private readonly logger = new Logger(StoreUnavailableFilter.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(error: StoreUnavailableError | ServiceUnavailableException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    this.logger.warn(error.message);
    const body =
      error instanceof ServiceUnavailableException
        ? error.getResponse()
        : { statusCode: 503, error: 'Service Unavailable', message: error.message };
    response
      .status(503)
      .setHeader('Retry-After', String(msToWholeSeconds(this.config.timeouts.storeRetryAfterMs)))
      .json(body);
  }
}
