import 'reflect-metadata';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  Body,
  Controller,
  Get,
  Injectable,
  Logger as NestLogger,
  Param,
  Post,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InjectPinoLogger, Logger, PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import { eventually } from '../../../test/support/test-timing.js';
import { getLogContext, runWithLogContext, updateLogContext } from './log-context.js';
import { LoggingModule } from './logging.module.js';

const PROJECT = 'shotclock-test';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Entry = Record<string, unknown>;
const lines: string[] = [];
const destination = { write: (line: string) => void lines.push(line) };

@Injectable()
class WorkService {
  constructor(@InjectPinoLogger(WorkService.name) private readonly logger: PinoLogger) {}

  work(label: string): void {
    this.logger.info({ label }, 'service work');
  }
}

@Controller('orders')
class OrdersController {
  private readonly logger = new NestLogger(OrdersController.name);

  constructor(
    private readonly service: WorkService,
    @InjectPinoLogger(OrdersController.name) private readonly pinoLogger: PinoLogger,
  ) {}

  @Get('fail')
  fail(): never {
    throw new Error('order lookup exploded');
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<unknown> {
    this.logger.log(`fetching order ${id}`);
    await nextTurn();
    this.pinoLogger.info(`after await ${id}`);
    this.service.work(id);
    return { context: getLogContext() };
  }

  @Post()
  create(@Body() body: { messageId: string }): unknown {
    updateLogContext({ messageId: body.messageId });
    this.logger.log('creating order');
    return { ok: true };
  }
}

@Controller()
class ProbeController {
  @Get('health/live')
  live(): string {
    return 'live';
  }

  @Get('health/ready')
  ready(): string {
    return 'ready';
  }

  @Get('metrics')
  metrics(): string {
    return 'metrics';
  }
}

const entries = (): Entry[] => lines.map((line) => JSON.parse(line) as Entry);
const byMessage = (message: string): Entry[] => entries().filter((e) => e['message'] === message);
const rawLineWith = (message: string): string =>
  lines.find((l) => (JSON.parse(l) as Entry)['message'] === message)!;

async function requestLine(prefix: string): Promise<Entry> {
  await eventually(
    () => entries().some((e) => String(e['message']).startsWith(prefix)),
    `request log "${prefix}"`,
  );
  return entries().find((e) => String(e['message']).startsWith(prefix))!;
}

describe('LoggingModule (HTTP)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        LoggingModule.forRoot({
          structured: true,
          level: 'debug',
          gcpProjectId: PROJECT,
          destination,
        }),
      ],
      controllers: [OrdersController, ProbeController],
      providers: [WorkService],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    lines.length = 0;
  });

  it('puts request id, correlation id and the traceparent trace on lines logged in controllers and services', async () => {
    const response = await request(app.getHttpServer())
      .get('/orders/42')
      .set('X-Request-Id', 'req-abc')
      .set('X-Correlation-Id', 'corr-xyz')
      .set('traceparent', `00-${TRACE_ID}-00f067aa0ba902b7-01`)
      .expect(200);

    const expected = {
      request_id: 'req-abc',
      correlation_id: 'corr-xyz',
      'logging.googleapis.com/trace': `projects/${PROJECT}/traces/${TRACE_ID}`,
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': true,
    };
    expect(byMessage('fetching order 42')).toEqual([
      expect.objectContaining({ ...expected, severity: 'INFO', context: 'OrdersController' }),
    ]);
    expect(byMessage('after await 42')).toEqual([
      expect.objectContaining({ ...expected, context: 'OrdersController' }),
    ]);
    expect(byMessage('service work')).toEqual([
      expect.objectContaining({ ...expected, context: 'WorkService', label: '42' }),
    ]);
    expect(await requestLine('GET /orders/42 200')).toMatchObject({
      ...expected,
      severity: 'INFO',
      res: { statusCode: 200 },
    });
    // the request logger binds request_id and the mixin adds it too: it must still appear once
    for (const message of ['fetching order 42', 'after await 42', 'service work']) {
      expect(rawLineWith(message).match(/"request_id"/g)).toHaveLength(1);
    }
    expect(response.body).toEqual({
      context: expect.objectContaining({ requestId: 'req-abc', correlationId: 'corr-xyz' }),
    });
    expect(response.headers).toMatchObject({
      'x-request-id': 'req-abc',
      'x-correlation-id': 'corr-xyz',
    });
  });

  it('takes the trace from X-Cloud-Trace-Context when there is no traceparent', async () => {
    await request(app.getHttpServer())
      .get('/orders/7')
      .set('X-Cloud-Trace-Context', `${TRACE_ID}/17;o=1`)
      .expect(200);
    expect(byMessage('fetching order 7')[0]).toMatchObject({
      'logging.googleapis.com/trace': `projects/${PROJECT}/traces/${TRACE_ID}`,
      'logging.googleapis.com/spanId': '0000000000000011',
      'logging.googleapis.com/trace_sampled': true,
    });
  });

  it('generates a request id when none is sent and uses it as the correlation id', async () => {
    const response = await request(app.getHttpServer()).get('/orders/8').expect(200);
    const [line] = byMessage('fetching order 8');
    expect(line!['request_id']).toMatch(UUID);
    expect(line!['correlation_id']).toBe(line!['request_id']);
    expect(response.headers['x-request-id']).toBe(line!['request_id']);
  });

  it('ignores an unusable X-Request-Id instead of logging it', async () => {
    await request(app.getHttpServer()).get('/orders/9').set('X-Request-Id', 'a b"c').expect(200);
    expect(byMessage('fetching order 9')[0]!['request_id']).toMatch(UUID);
  });

  it('keeps concurrent requests apart', async () => {
    const server = app.getHttpServer();
    await Promise.all(
      ['1', '2', '3', '4'].map((n) =>
        request(server).get(`/orders/c${n}`).set('X-Correlation-Id', `corr-${n}`).expect(200),
      ),
    );
    for (const n of ['1', '2', '3', '4']) {
      expect(byMessage(`after await c${n}`)[0]).toMatchObject({ correlation_id: `corr-${n}` });
    }
  });

  it('carries context updated in the handler (message id) into later lines and the request log line', async () => {
    await request(app.getHttpServer())
      .post('/orders')
      .set('X-Correlation-Id', 'corr-post')
      .send({ messageId: 'msg-123' })
      .expect(201);
    expect(byMessage('creating order')[0]).toMatchObject({
      correlation_id: 'corr-post',
      message_id: 'msg-123',
    });
    expect(await requestLine('POST /orders 201')).toMatchObject({
      correlation_id: 'corr-post',
      message_id: 'msg-123',
    });
  });

  it('redacts Authorization, Proxy-Authorization and Cookie headers in the request log', async () => {
    await request(app.getHttpServer())
      .get('/orders/10')
      .set('Authorization', 'Bearer s3cr3t-token')
      .set('Proxy-Authorization', 'Basic cHJveHk6cGFzcw==')
      .set('Cookie', 'sid=cookie-value')
      .set('X-Trace-Note', 'kept')
      .expect(200);
    const line = await requestLine('GET /orders/10 200');
    expect(line).toMatchObject({
      req: {
        headers: {
          authorization: '[REDACTED]',
          'proxy-authorization': '[REDACTED]',
          cookie: '[REDACTED]',
          'x-trace-note': 'kept',
        },
      },
    });
    expect(lines.join('')).not.toMatch(/s3cr3t-token|cHJveHk6cGFzcw|cookie-value/);
  });

  it('logs failed requests at ERROR', async () => {
    await request(app.getHttpServer()).get('/orders/fail').expect(500);
    expect(await requestLine('GET /orders/fail 500')).toMatchObject({
      severity: 'ERROR',
      res: { statusCode: 500 },
    });
  });

  it('keeps /health/live and /metrics out of the request log, and other probes at DEBUG', async () => {
    const server = app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    await request(server).get('/metrics').expect(200);
    await request(server).get('/health/ready').expect(200);
    expect(await requestLine('GET /health/ready 200')).toMatchObject({ severity: 'DEBUG' });
    expect(entries().filter((e) => /\/health\/live|\/metrics/.test(String(e['message'])))).toEqual(
      [],
    );
  });

  it('puts correlation and message ids on app lines logged outside HTTP, inside runWithLogContext', async () => {
    const service = app.get(WorkService);
    await runWithLogContext(
      { correlationId: 'corr-msg', messageId: 'msg-77', subscription: 'orders-sub' },
      async () => {
        await nextTurn();
        service.work('from pubsub');
        new NestLogger('Projection').log('projected');
      },
    );
    expect(byMessage('service work')[0]).toMatchObject({
      correlation_id: 'corr-msg',
      message_id: 'msg-77',
      subscription: 'orders-sub',
      label: 'from pubsub',
    });
    expect(byMessage('service work')[0]).not.toHaveProperty('request_id');
    expect(byMessage('projected')[0]).toMatchObject({
      context: 'Projection',
      correlation_id: 'corr-msg',
      message_id: 'msg-77',
    });
  });
});
