import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import { LOG_FIELDS, logContextFields, omitBoundFields } from './log-context-fields.js';
import type { LoggingOptions } from './logging-options.js';
import { buildPinoSetup } from './pino-options.js';
import { logContextForRequest } from './request-log-context.js';

/** Routes polled by probes and scrapers: no request log line at all. */
export const UNLOGGED_ROUTES: readonly string[] = ['/health/live', '/metrics'];
/** Routes that log one line per message themselves (push ingestion), so the request line would be a second. */
export const SELF_LOGGED_PREFIXES: readonly string[] = ['/v1/push/'];
/** {@link SELF_LOGGED_PREFIXES} as Nest route patterns. */
const SELF_LOGGED_ROUTE_PATTERNS: readonly string[] = SELF_LOGGED_PREFIXES.map(
  (prefix) => `${prefix}{*rest}`,
);
/** Other probe routes: request log line at debug (warn on 5xx, e.g. readiness while draining). */
const QUIET_ROUTE_PREFIX = '/health';

/**
 * nestjs-pino `Params` for the service: the shared pino setup ({@link buildPinoSetup}) plus the
 * pino-http request log. The request logger binds only `request_id`; the request log line carries
 * the request's whole log context, `req` (credentials redacted) and `res`.
 */
export function buildLoggerOptions(opts: LoggingOptions): Params {
  const { options, destination } = buildPinoSetup(opts);
  const { gcpProjectId } = opts;
  const requestFields = (req: IncomingMessage, res: ServerResponse): Record<string, unknown> =>
    omitBoundFields(logContextFields(logContextForRequest(req), gcpProjectId), res.log);

  const http: Options = {
    ...options,
    quietReqLogger: true,
    customAttributeKeys: { reqId: LOG_FIELDS.requestId },
    genReqId: (req) => logContextForRequest(req).requestId ?? '',
    autoLogging: {
      ignore: (req) => {
        const path = routePath(req);
        return (
          UNLOGGED_ROUTES.includes(path) ||
          SELF_LOGGED_PREFIXES.some((prefix) => path.startsWith(prefix))
        );
      },
    },
    // `query` repeats the URL's query string as an object, where a credential-looking parameter
    // name that is not a sensitive key (`key`, `sig`) would escape the URL's redaction.
    serializers: { req: withoutQuery },
    customLogLevel: requestLogLevel,
    customSuccessMessage: (req, res, ms) =>
      `${req.method} ${routePath(req)} ${res.statusCode} ${ms}ms`,
    customErrorMessage: (req, res, error) =>
      `${req.method} ${routePath(req)} ${res.statusCode} failed: ${error.message}`,
    customSuccessObject: (req, res, value: object) => ({ ...requestFields(req, res), ...value }),
    customErrorObject: (req, res, _error, value: object) => ({
      ...requestFields(req, res),
      ...value,
    }),
  };
  // The request logger (a pino child per request, its `req` serialised and redacted) is the largest
  // per-request cost of the HTTP stack; routes that never write a request line skip it entirely.
  return {
    pinoHttp: [http, destination],
    exclude: [...UNLOGGED_ROUTES, ...SELF_LOGGED_ROUTE_PATTERNS],
  };
}

function requestLogLevel(
  req: IncomingMessage,
  res: ServerResponse,
  error?: Error,
): LevelWithSilent {
  const failed = error !== undefined || res.statusCode >= 500;
  if (routePath(req).startsWith(QUIET_ROUTE_PREFIX)) return failed ? 'warn' : 'debug';
  // 503 is a transient refusal (store busy, shutting down) that the client retries, not a bug.
  if (failed && (error !== undefined || res.statusCode !== 503)) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/** The path without query string; Express's `originalUrl` survives middleware mounting. */
function routePath(req: IncomingMessage): string {
  const url =
    'originalUrl' in req && typeof req.originalUrl === 'string' ? req.originalUrl : (req.url ?? '');
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The serialised request without its `query` object (the URL, redacted when written, has it). */
function withoutQuery(req: Record<string, unknown>): Record<string, unknown> {
  const { query: _query, ...rest } = req;
  return rest;
}
