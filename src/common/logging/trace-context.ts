import type { IncomingHttpHeaders } from 'node:http';
import type { TraceContext } from './log-context.js';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const CLOUD_TRACE_CONTEXT = /^([0-9a-fA-F]{32})(?:\/(\d{1,20}))?(?:;o=([01]))?$/;
const ALL_ZEROS = /^0+$/;
const MAX_UINT64 = (1n << 64n) - 1n;

/** Parses a W3C `traceparent` header (`00-<trace-id>-<parent-id>-<flags>`); `undefined` when invalid. */
export function parseTraceparent(value: string): TraceContext | undefined {
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match;
  // The pattern's four groups are mandatory: a match always has them.
  if (!version || !traceId || !spanId || !flags) return undefined;
  if (version === 'ff' || ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/**
 * Parses Google's `X-Cloud-Trace-Context` header (`TRACE_ID/SPAN_ID;o=1`, span id in decimal);
 * the span id is returned as 16 hex characters, the form Cloud Logging expects.
 */
export function parseCloudTraceContext(value: string): TraceContext | undefined {
  const match = CLOUD_TRACE_CONTEXT.exec(value.trim());
  if (!match) return undefined;
  const [, rawTraceId, decimalSpan, option] = match;
  // The trace id group is mandatory (a match always has it); the other two are optional.
  if (rawTraceId === undefined) return undefined;
  const traceId = rawTraceId.toLowerCase();
  if (ALL_ZEROS.test(traceId)) return undefined;
  const span = decimalSpan === undefined ? undefined : BigInt(decimalSpan);
  const spanId =
    span === undefined || span === 0n || span > MAX_UINT64
      ? undefined
      : span.toString(16).padStart(16, '0');
  return {
    traceId,
    ...(spanId === undefined ? {} : { spanId }),
    ...(option === undefined ? {} : { sampled: option === '1' }),
  };
}

/** The trace of an incoming request: `traceparent` first, then `X-Cloud-Trace-Context`. */
export function traceFromHeaders(headers: IncomingHttpHeaders): TraceContext | undefined {
  const traceparent = firstHeader(headers['traceparent']);
  const fromTraceparent = traceparent === undefined ? undefined : parseTraceparent(traceparent);
  if (fromTraceparent) return fromTraceparent;
  const cloud = firstHeader(headers['x-cloud-trace-context']);
  return cloud === undefined ? undefined : parseCloudTraceContext(cloud);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
