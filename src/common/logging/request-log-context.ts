import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getLogContext, type LogContext } from './log-context.js';
import { traceFromHeaders } from './trace-context.js';

/** Ids taken from headers must look like ids: anything else (log injection, huge values) is replaced. */
const ACCEPTABLE_ID = /^[\w.:@=+/-]{1,128}$/;

const contexts = new WeakMap<IncomingMessage, LogContext>();

/**
 * The log context of an HTTP request, built once per request: `requestId` from `X-Request-Id`
 * (else a new UUID), `correlationId` from `X-Correlation-Id` (else the request id), and the trace
 * from `traceparent` / `X-Cloud-Trace-Context`. pino-http and the context middleware both ask for
 * it, in whichever order they run, and get the same object.
 */
export function logContextForRequest(req: IncomingMessage): LogContext {
  let context = contexts.get(req);
  if (!context) {
    const requestId = acceptableId(req.headers['x-request-id']) ?? randomUUID();
    const correlationId = acceptableId(req.headers['x-correlation-id']) ?? requestId;
    const trace = traceFromHeaders(req.headers);
    context = { requestId, correlationId, ...(trace ? { trace } : {}) };
    contexts.set(req, context);
  }
  return context;
}

/**
 * Makes the live context of the current scope (the one `updateLogContext` changes) the request's
 * context, so the request log line written when the response finishes reflects those updates.
 */
export function adoptCurrentLogContext(req: IncomingMessage): void {
  const live = getLogContext();
  if (live) contexts.set(req, live);
}

function acceptableId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTABLE_ID.test(value) ? value : undefined;
}
