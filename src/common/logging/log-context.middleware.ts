import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithLogContext } from './log-context.js';
import { adoptCurrentLogContext, logContextForRequest } from './request-log-context.js';

/**
 * Runs the rest of the request pipeline (guards, pipes, controller, services) inside the request's
 * log context, and echoes `X-Request-Id` / `X-Correlation-Id` so callers can quote them.
 */
export function logContextMiddleware(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  const context = logContextForRequest(req);
  if (context.requestId) res.setHeader('X-Request-Id', context.requestId);
  if (context.correlationId) res.setHeader('X-Correlation-Id', context.correlationId);
  runWithLogContext(context, () => {
    adoptCurrentLogContext(req);
    next();
  });
}
