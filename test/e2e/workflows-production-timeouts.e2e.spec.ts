import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { WorkflowExecutionService } from '../../src/modules/workflows/execution/workflow-execution.service.js';
import { WORKFLOW_EVENTS } from '../../src/modules/workflows/workflow.events.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { executionEvents } from '../support/workflows-execution-fixtures.js';

/** How the scraper service answers each scraper: status and headers after `answerMs`, the body `bodyMs` later. */
const TIMING: Record<string, { answerMs: number; bodyMs: number }> = {
  quick: { answerMs: 0, bodyMs: 0 },
  slow_answer: { answerMs: 600, bodyMs: 0 },
  slow_body: { answerMs: 0, bodyMs: 400 },
  stuck_body: { answerMs: 0, bodyMs: 2_500 },
  default_bound: { answerMs: 600, bodyMs: 0 },
};

/** A real scraper service whose answers arrive in two parts (headers, then the body). */
async function startTwoPartScraperService(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { scraper } = JSON.parse(body) as { scraper: string };
      const timing = TIMING[scraper] ?? { answerMs: 0, bodyMs: 0 };
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`{"data_summary": {"scraper": "${scraper}", `);
        setTimeout(() => {
          if (!res.destroyed) res.end('"rowCount": 3}}');
        }, timing.bodyMs);
      }, timing.answerMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const yaml = (scraperTimeouts: string) => `version: "1.0"
settings:
  timezone: America/New_York
${scraperTimeouts}
scrapers:
  quick: { name: quick }
  slow_answer: { name: slow_answer }
  slow_body: { name: slow_body }
  stuck_body: { name: stuck_body }
  default_bound: { name: default_bound }
workflows:
  wf:
    priority: HIGH
    decision_type: fixed_time
    schedule: { fixed_time: "10:00", tolerance_minutes: 30 }
    execution_plan:
      type: parallel
      scrapers: [quick, slow_answer, slow_body, stuck_body, default_bound]
    execution_mode: parallel
    max_workers: 5
`;

/**
 * settings.scraper_timeouts bound each scraper call: overrides.<scraper>, else default, bound the
 * wait for the answer; future_overhead is added for the whole call (with its body). Without
 * scraper_timeouts, TIMEOUT_SCRAPER_HTTP_MS / TIMEOUT_SCRAPER_FUTURE_MS apply.
 */
describe('per-scraper call bounds from settings.scraper_timeouts (real app, real HTTP service)', () => {
  const dir = makeTempDir('shotclock-wf-production-timeouts-');
  let service: { url: string; server: Server };
  let test: TestApp | undefined;
  beforeAll(async () => {
    service = await startTwoPartScraperService();
  });
  afterEach(async () => {
    await test?.close();
    test = undefined;
  });
  afterAll(async () => {
    service.server.closeAllConnections();
    await new Promise((resolve) => service.server.close(resolve));
    dir.cleanup();
  });

  /** Runs `wf` once (manual) and answers each scraper's outcome, attempts and error. */
  async function runOnce(file: string, env: Record<string, string> = {}) {
    const path = join(dir.path, `workflows-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, file);
    test = await startTestApp(
      {
        WORKFLOWS_CONFIG_PATH: path,
        SCRAPER_SERVICE_URL: service.url,
        ENABLE_PARALLEL_CONFIG: 'true',
        LOG_LEVEL: 'error',
        ...env,
      },
      { clock: new ManualClock('2026-01-22T15:00:00Z') },
    );
    const { body } = await request(test.app.getHttpServer() as never)
      .post('/v1/workflows/wf/execute')
      .expect(202);
    await test.app.get(WorkflowExecutionService).idle();
    const storage: Storage = test.app.get(STORAGE);
    const steps = (await executionEvents(storage, body.execution_id)).filter(
      (event) => event.type === WORKFLOW_EVENTS.stepFinished,
    );
    return Object.fromEntries(
      steps.map(({ data }) => [
        data['scraper'],
        { outcome: data['outcome'], attempts: data['attempts'], error: data['error'] },
      ]),
    );
  }

  it('override, else default, bounds the answer; future_overhead is added for the whole call', async () => {
    const outcomes = await runOnce(
      yaml(`  scraper_timeouts:
    default: 2
    future_overhead: 1
    overrides: { slow_answer: 0.3, slow_body: 0.2, stuck_body: 0.2 }`),
    );
    expect(outcomes).toEqual({
      quick: { outcome: 'success', attempts: 1, error: null },
      // Within the 2 s default.
      default_bound: { outcome: 'success', attempts: 1, error: null },
      // Its own 0.3 s bound on the answer, whatever the default.
      slow_answer: {
        outcome: 'timed_out',
        attempts: 3,
        error:
          'scraper slow_answer: no answer within 300 ms (settings.scraper_timeouts.overrides.slow_answer) (after 3 attempts)',
      },
      // Answered at once; the body takes 0.4 s, within 0.2 s + 1 s for the whole call.
      slow_body: { outcome: 'success', attempts: 1, error: null },
      stuck_body: {
        outcome: 'timed_out',
        attempts: 3,
        error:
          'scraper stuck_body: call not finished within 1200 ms (settings.scraper_timeouts.overrides.stuck_body + settings.scraper_timeouts.future_overhead) (after 3 attempts)',
      },
    });
  });

  it('without scraper_timeouts in the file, TIMEOUT_SCRAPER_HTTP_MS bounds the answer and TIMEOUT_SCRAPER_FUTURE_MS the call', async () => {
    const outcomes = await runOnce(yaml(''), {
      TIMEOUT_SCRAPER_HTTP_MS: '300',
      TIMEOUT_SCRAPER_FUTURE_MS: '1000',
    });
    expect(outcomes['default_bound']).toEqual({
      outcome: 'timed_out',
      attempts: 3,
      error:
        'scraper default_bound: no answer within 300 ms (TIMEOUT_SCRAPER_HTTP_MS) (after 3 attempts)',
    });
    expect(outcomes['slow_body']).toEqual({ outcome: 'success', attempts: 1, error: null });
    expect(outcomes['stuck_body']).toEqual({
      outcome: 'timed_out',
      attempts: 3,
      error:
        'scraper stuck_body: call not finished within 1000 ms (TIMEOUT_SCRAPER_FUTURE_MS) (after 3 attempts)',
    });
  });
});
