import { AsyncLocalStorage } from 'node:async_hooks';

/** The distributed trace a log line belongs to (W3C `traceparent` or `X-Cloud-Trace-Context`). */
export interface TraceContext {
  /** 32 lowercase hex characters. */
  readonly traceId: string;
  /** 16 lowercase hex characters. */
  readonly spanId?: string;
  readonly sampled?: boolean;
}

/** What every log line written while handling one unit of work (request, message, projection step) carries. */
export interface LogContext {
  correlationId?: string;
  messageId?: string;
  requestId?: string;
  trace?: TraceContext;
  subscription?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` with `context` as the log context; every line logged inside it (sync or across awaits)
 * carries its fields. Nested calls start from a copy of the surrounding context, so an inner scope
 * (one Pub/Sub message inside a batch, a projection step inside a request) adds to it without
 * changing the outer one. Returns whatever `fn` returns.
 */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The live context of the current unit of work, or `undefined` outside `runWithLogContext`. */
export function getLogContext(): Readonly<LogContext> | undefined {
  return storage.getStore();
}

/**
 * Merges `fields` into the current context, e.g. once a handler has read the correlation id off a
 * message payload. Visible to every later line of the same scope, including the request log line.
 * Throws outside `runWithLogContext`: that is a wiring bug (a worker not wrapping its unit of work).
 */
export function updateLogContext(fields: Partial<LogContext>): void {
  const store = storage.getStore();
  if (!store) {
    throw new Error(
      `updateLogContext(${Object.keys(fields).join(', ')}) called outside runWithLogContext; ` +
        'wrap the unit of work (message handler, job) in runWithLogContext first',
    );
  }
  Object.assign(store, fields);
}
