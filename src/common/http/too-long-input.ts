import { BadRequestException } from '@nestjs/common';
import { tooLongProblem } from './text-limits.js';

/** 400 for identifying text past its limit, shaped like parseInput's answers (field, problem). */
export function tooLongInput(field: string, max: number): BadRequestException {
  const problem = tooLongProblem(max);
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `${field}: ${problem}`,
    issues: [{ field, problem }],
  });
}
