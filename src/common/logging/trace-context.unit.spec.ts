import { parseCloudTraceContext, parseTraceparent, traceFromHeaders } from './trace-context.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('trace context', () => {
  it('parses a W3C traceparent', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-01`)).toEqual({
      traceId: TRACE_ID,
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(parseTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-00`)?.sampled).toBe(false);
  });

  it('rejects malformed or all-zero traceparents', () => {
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(parseTraceparent(`ff-${TRACE_ID}-00f067aa0ba902b7-01`)).toBeUndefined();
  });

  it('parses X-Cloud-Trace-Context, converting the decimal span id to 16 hex characters', () => {
    expect(parseCloudTraceContext(`${TRACE_ID}/1;o=1`)).toEqual({
      traceId: TRACE_ID,
      spanId: '0000000000000001',
      sampled: true,
    });
    expect(parseCloudTraceContext(`${TRACE_ID}/18446744073709551615;o=0`)).toEqual({
      traceId: TRACE_ID,
      spanId: 'ffffffffffffffff',
      sampled: false,
    });
    expect(parseCloudTraceContext(TRACE_ID)).toEqual({ traceId: TRACE_ID });
    expect(parseCloudTraceContext('not-a-trace/1;o=1')).toBeUndefined();
  });

  it('prefers traceparent over X-Cloud-Trace-Context', () => {
    const other = 'a'.repeat(32);
    expect(
      traceFromHeaders({
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
        'x-cloud-trace-context': `${other}/5;o=1`,
      })?.traceId,
    ).toBe(TRACE_ID);
    expect(
      traceFromHeaders({ traceparent: 'broken', 'x-cloud-trace-context': `${other}/5;o=1` })
        ?.traceId,
    ).toBe(other);
    expect(traceFromHeaders({})).toBeUndefined();
  });
});
