import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { pino, type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { updateLogContext } from './log-context.js';
import { logContextMiddleware } from './log-context.middleware.js';
import { buildLoggerOptions } from './logger-options.js';

const sink: DestinationStream = { write: () => undefined };

function httpOptions(): Options {
  const { pinoHttp } = buildLoggerOptions({ structured: true, level: 'info', destination: sink });
  if (!Array.isArray(pinoHttp))
    throw new Error(`expected [options, destination], got ${typeof pinoHttp}`);
  return pinoHttp[0];
}

function exchange(url: string, headers: Record<string, string> = {}) {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = url;
  req.headers = headers;
  const res = new ServerResponse(req);
  res.log = pino({ base: null }, sink).child({ request_id: 'bound' });
  return { req, res };
}

describe('buildLoggerOptions (pino-http request log)', () => {
  it('writes to the given destination', () => {
    const { pinoHttp } = buildLoggerOptions({ structured: true, level: 'info', destination: sink });
    expect(Array.isArray(pinoHttp) && pinoHttp[1]).toBe(sink);
  });

  it('gives the request log line the context as updated during the request, even when written outside it', () => {
    const options = httpOptions();
    const { req, res } = exchange('/orders', { 'x-correlation-id': 'corr-1' });
    logContextMiddleware(req, res, () => updateLogContext({ messageId: 'msg-1' }));

    // the response finishes later, outside the request's async context
    const fields = options.customSuccessObject!(req, res, { responseTime: 3 }) as Record<
      string,
      unknown
    >;
    expect(fields).toMatchObject({
      correlation_id: 'corr-1',
      message_id: 'msg-1',
      responseTime: 3,
    });
    expect(fields).not.toHaveProperty('request_id'); // already bound on the response logger
  });

  it('skips probe routes and grades the rest by status', () => {
    const options = httpOptions();
    const ignore = (options.autoLogging as { ignore: (req: IncomingMessage) => boolean }).ignore;
    expect(ignore(exchange('/health/live').req)).toBe(true);
    expect(ignore(exchange('/metrics?x=1').req)).toBe(true);
    expect(ignore(exchange('/orders').req)).toBe(false);
    expect(ignore(exchange('/v1/push/prediction-completions').req)).toBe(true);

    const level = (url: string, status: number, error?: Error) => {
      const { req, res } = exchange(url);
      res.statusCode = status;
      return options.customLogLevel!(req, res, error);
    };
    expect(level('/orders', 200)).toBe('info');
    expect(level('/orders', 404)).toBe('warn');
    expect(level('/orders', 500)).toBe('error');
    expect(level('/orders', 503)).toBe('warn');
    expect(level('/orders', 200, new Error('aborted'))).toBe('error');
    expect(level('/health/ready', 200)).toBe('debug');
    expect(level('/health/ready', 503)).toBe('warn');
  });
});
