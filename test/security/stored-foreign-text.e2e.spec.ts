import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { AlertService } from '../../src/modules/alerts/alert.service.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { importDocuments } from '../../src/modules/batches/legacy-import/import-documents.js';
import { LegacyBatchImporter } from '../../src/modules/batches/legacy-import/legacy-batch-importer.js';
import { openLegacyDocuments } from '../../src/modules/batches/legacy-import/legacy-document-source.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestAppOn, TEST_STORES, type TestStore } from '../support/test-app-on-store.js';
import type { TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';
import { writeExecutionWorkflowsYaml } from '../support/workflows-execution-config.js';

const NUL = '\u0000';
const REPLACEMENT = '\ufffd';

type HttpServer = Parameters<typeof request>[0];

/** A real local HTTP server answering every request with `status` and `body` as plain text. */
async function answering(
  status: (path: string, body: string) => { status: number; body: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = status(req.url ?? '', Buffer.concat(chunks).toString('utf8'));
      res.writeHead(answer.status, {
        'content-type': answer.status < 300 ? 'application/json' : 'text/plain',
      });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every projection caught up, none failed, readiness 200: the read models took what was stored. */
async function expectReadModelsWork(server: HttpServer) {
  await eventually(async () => {
    const { projections } = (await request(server).get('/v1/projections').expect(200)).body as {
      projections: Array<{ lag: number }>;
    };
    return projections.every((projection) => projection.lag === 0);
  }, 'every projection caught up');
  const { projections } = (await request(server).get('/v1/projections').expect(200)).body as {
    projections: Array<{ name: string; state: string; last_error: string | null }>;
  };
  expect(projections.filter((p) => p.state === 'failed' || p.last_error !== null)).toEqual([]);
  await request(server).get('/health/ready').expect(200);
}

/**
 * Text that other services hand back (a scraper's or Slack's error answer) or that an import file
 * holds reaches the log without passing a request check: it must be stored (made storable) or
 * refused per item, never break a read model nor stop the work that records it.
 */
describe.each(TEST_STORES)('text from elsewhere that no store can hold, on %s', (store) => {
  const dir = makeTempDir('shotclock-foreign-text-');
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => dir.cleanup());

  const start = async (env: Record<string, string>): Promise<TestApp> => {
    const test = await startTestAppOn(store as TestStore, { LOG_LEVEL: 'error', ...env });
    closers.push(() => test.close());
    return test;
  };

  it("records a scraper's error answer holding NUL with U+FFFD and finishes the execution", async () => {
    const scrapers = await answering((_path, body) => {
      const { scraper } = JSON.parse(body) as { scraper: string };
      return scraper === 'a'
        ? { status: 400, body: `bad input${NUL} from the scraper` }
        : {
            status: 200,
            body: JSON.stringify({ status: 'success', data_summary: { rowCount: 3 } }),
          };
    });
    closers.push(() => scrapers.close());
    const test = await start({
      WORKFLOWS_CONFIG_PATH: writeExecutionWorkflowsYaml(dir.path),
      SCRAPER_SERVICE_URL: scrapers.url,
    });
    const server = test.app.getHttpServer();
    const storage = test.app.get<Storage>(STORAGE);

    const started = await request(server).post('/v1/workflows/wf_parallel/execute').expect(202);
    const executionId = started.body.execution_id as string;
    const stepErrors = async () => {
      const errors: string[] = [];
      for await (const event of storage.events.readStream(`workflow-execution-${executionId}`)) {
        const error = (event.data as { error?: unknown }).error;
        if (typeof error === 'string') errors.push(error);
      }
      return errors;
    };
    await eventually(
      async () =>
        (await request(server).get('/v1/workflows/executions')).body.executions?.some(
          (execution: { execution_id: string; status: string }) =>
            execution.execution_id === executionId && execution.status !== 'running',
        ) === true,
      'the execution finished and listed',
    );
    const [error] = await stepErrors();
    expect(error).toContain(`HTTP 400 (not retried): bad input${REPLACEMENT} from the scraper`);
    expect(error).not.toContain(NUL);
    await expectReadModelsWork(server);
  });

  it('records a Slack answer holding NUL with U+FFFD and keeps delivering', async () => {
    const slack = await answering(() => ({ status: 500, body: `upstream${NUL}broken` }));
    closers.push(() => slack.close());
    const test = await start({ SLACK_WEBHOOK_URL: `${slack.url}/services/T0/B0/x` });
    const server = test.app.getHttpServer();
    await test.app.get(AlertService).raise({
      key: 'text-check',
      kind: 'phase2_deadline_exceeded',
      severity: 'critical',
      summary: 'Phase 2 missed its deadline (text-check)',
      details: {},
      correlationId: 'corr-text-check',
    });
    let attempts: Array<{ error: string | null }> = [];
    await eventually(async () => {
      const answer = await request(server).get('/v1/alerts/text-check');
      attempts = (answer.body.attempts ?? []) as typeof attempts;
      return answer.status === 200 && attempts.length >= 2;
    }, 'two delivery attempts recorded');
    expect(attempts[0]!.error).toBe(
      `Slack webhook answered 500 Internal Server Error: upstream${REPLACEMENT}broken`,
    );
    await expectReadModelsWork(server);
  });

  it('rejects a legacy document holding NUL like any invalid one and imports the rest', async () => {
    const test = await start({});
    const storage = test.app.get<Storage>(STORAGE);
    const doc = (batchId: string, players: string[]) => ({
      batch_id: batchId,
      game_date: '2026-01-20',
      expected_players: players.length,
      completed_players: players,
      predictions_by_player: Object.fromEntries(players.map((player) => [player, 5])),
      total_predictions: players.length * 5,
      is_complete: true,
      start_time: '2026-01-20T15:00:00Z',
      correlation_id: `corr-${batchId}`,
    });
    const file = join(dir.path, `legacy-${store}.ndjson`);
    writeFileSync(
      file,
      [
        doc('batch_2026-01-20_1', [`lebron${NUL}james`, 'stephen-curry']),
        { ...doc('batch_2026-01-20_2', ['nikola-jokic']), correlation_id: `corr${NUL}` },
        doc('batch_2026-01-20_3', ['joel-embiid']),
      ]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n',
    );
    const problems: string[] = [];
    const run = await importDocuments(
      await openLegacyDocuments(file),
      new LegacyBatchImporter(storage.events),
      { out: () => undefined, problem: (line) => problems.push(line) },
    );
    expect(run.tally).toMatchObject({ read: 3, imported: 1, rejected: 2 });
    expect(problems).toEqual([
      expect.stringContaining(
        'line 1: invalid legacy batch document: document.completed_players[0] holds U+0000',
      ),
      expect.stringContaining(
        'line 2: invalid legacy batch document: document.correlation_id holds U+0000',
      ),
    ]);
    expect(await storage.events.streamVersion('batch-batch_2026-01-20_3')).toBeGreaterThan(0);
    expect(await storage.events.streamVersion('batch-batch_2026-01-20_1')).toBe(0);
    await expectReadModelsWork(test.app.getHttpServer());
  });
});
