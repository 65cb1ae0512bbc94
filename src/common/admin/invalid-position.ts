import { BadRequestException } from '@nestjs/common';
import { InvalidPositionError } from '../event-store/index.js';

/** A cursor the store cannot read (not one of its positions) is bad input: 400 naming `field`. */
export function asBadCursor(error: unknown, field: string): unknown {
  if (!(error instanceof InvalidPositionError)) return error;
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `${field}: ${error.message}`,
    issues: [{ field, problem: error.message }],
  });
}
