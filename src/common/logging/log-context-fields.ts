import { symbols, type Logger } from 'pino';
import type { LogContext } from './log-context.js';

/** Names of the fields a log context adds to a line (Cloud Logging's special keys for the trace). */
export const LOG_FIELDS = {
  requestId: 'request_id',
  correlationId: 'correlation_id',
  messageId: 'message_id',
  subscription: 'subscription',
  trace: 'logging.googleapis.com/trace',
  spanId: 'logging.googleapis.com/spanId',
  traceSampled: 'logging.googleapis.com/trace_sampled',
  /** Used instead of the Cloud Logging keys when no GCP project is configured (they need one). */
  plainTraceId: 'trace_id',
  plainSpanId: 'span_id',
} as const;

/** The line fields for `context`; trace ids become `projects/<id>/traces/<trace>` when a project is known. */
export function logContextFields(
  context: Readonly<LogContext> | undefined,
  gcpProjectId: string | undefined,
): Record<string, string | boolean> {
  const fields: Record<string, string | boolean> = {};
  if (!context) return fields;
  if (context.requestId) fields[LOG_FIELDS.requestId] = context.requestId;
  if (context.correlationId) fields[LOG_FIELDS.correlationId] = context.correlationId;
  if (context.messageId) fields[LOG_FIELDS.messageId] = context.messageId;
  if (context.subscription) fields[LOG_FIELDS.subscription] = context.subscription;
  const { trace } = context;
  if (trace && gcpProjectId) {
    fields[LOG_FIELDS.trace] = `projects/${gcpProjectId}/traces/${trace.traceId}`;
    if (trace.spanId) fields[LOG_FIELDS.spanId] = trace.spanId;
    if (trace.sampled !== undefined) fields[LOG_FIELDS.traceSampled] = trace.sampled;
  } else if (trace) {
    fields[LOG_FIELDS.plainTraceId] = trace.traceId;
    if (trace.spanId) fields[LOG_FIELDS.plainSpanId] = trace.spanId;
  }
  return fields;
}

/**
 * Drops the fields `logger` already has as bindings (pino-http binds `request_id` to the request
 * logger), so no key appears twice in one JSON line.
 */
export function omitBoundFields<T extends Record<string, unknown>>(fields: T, logger: Logger): T {
  // pino keeps a child's bindings pre-serialised under this documented integration symbol.
  const chindings: unknown = (logger as unknown as Record<symbol, unknown>)[symbols.chindingsSym];
  if (typeof chindings !== 'string' || chindings === '') return fields;
  for (const key of Object.keys(fields)) {
    if (chindings.includes(`${JSON.stringify(key)}:`)) delete fields[key];
  }
  return fields;
}
