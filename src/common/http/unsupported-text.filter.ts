import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { UnsupportedTextError } from '../event-store/index.js';

/**
 * Text no store can hold (U+0000, a lone surrogate) that reached an append is the caller's to fix,
 * not a server fault: answer 400 naming where it was, never 500. Nothing was written.
 */
@Catch(UnsupportedTextError)
export class UnsupportedTextFilter implements ExceptionFilter<UnsupportedTextError> {
  private readonly logger = new Logger(UnsupportedTextFilter.name);

  catch(error: UnsupportedTextError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    this.logger.warn(error.message);
    response.status(400).json({
      statusCode: 400,
      error: 'Bad Request',
      message: error.message,
      issues: [{ field: error.path, problem: 'unsupported character' }],
    });
  }
}
