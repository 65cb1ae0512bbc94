import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Parses request input with a zod schema; a failure answers 400 naming the field and the problem. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    problem: issue.message,
  }));
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: issues.map((i) => `${i.field}: ${i.problem}`).join('; '),
    issues,
  });
}
