import { join } from 'node:path';
import { Controller, Inject, Module, Param, Post } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SystemClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { UnsupportedTextFilter } from '../../src/common/http/unsupported-text.filter.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * Text that reached an append from somewhere other than the request (a scraper's answer, a stored
 * document) is refused by the store: the route answers 400 naming the field, never 500. The
 * service's own routes check their input first; this route deliberately does not.
 */
@Controller('echo')
class UncheckedAppendController {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  @Post(':kind')
  async append(@Param('kind') kind: string) {
    const text = kind === 'nul' ? 'from elsewhere \u0000' : kind === 'lone' ? '\udc00' : 'fine';
    await this.storage.events.append('echo', [{ type: 'Echoed', data: { text } }], {
      expectedVersion: 'any',
    });
    return { stored: true };
  }
}

describe('UnsupportedTextFilter (real Nest app, real SQLite store)', () => {
  const dir = makeTempDir('shotclock-text-filter-');
  let app: INestApplication;
  let storage: SqliteStorage;

  beforeAll(async () => {
    storage = new SqliteStorage(
      {
        path: join(dir.path, 'store.sqlite'),
        synchronous: 'NORMAL',
        busyTimeoutMs: 1000,
        idempotencyTtlDays: () => 7,
      },
      new SystemClock(),
    );
    @Module({
      controllers: [UncheckedAppendController],
      providers: [
        { provide: STORAGE, useValue: storage },
        { provide: APP_FILTER, useClass: UnsupportedTextFilter },
      ],
    })
    class HarnessModule {}
    app = await NestFactory.create(HarnessModule, { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await storage.close();
    dir.cleanup();
  });

  it.each([
    ['nul', 'U+0000'],
    ['lone', 'unpaired UTF-16 surrogate'],
  ])(
    'answers 400 naming the field when an append holds %s text, writing nothing',
    async (kind, what) => {
      const answer = await request(app.getHttpServer()).post(`/echo/${kind}`).expect(400);
      expect(answer.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        issues: [{ field: 'events[0].data.text', problem: 'unsupported character' }],
      });
      expect(answer.body.message).toContain('cannot append to stream "echo"');
      expect(answer.body.message).toContain(what);
      expect(await storage.events.streamVersion('echo')).toBe(0);
    },
  );

  it('lets storable text through', async () => {
    await request(app.getHttpServer()).post('/echo/fine').expect(201, { stored: true });
    expect(await storage.events.streamVersion('echo')).toBe(1);
  });
});
