import { join } from 'node:path';
import { ScraperStub } from '../support/scraper-stub.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';
import { writeExecutionWorkflowsYaml } from '../support/workflows-execution-config.js';

interface LoggedEvent {
  streamId: string;
  type: string;
  data: { execution_id: string; status?: string; scraper?: string; outcome?: string };
}

async function events(service: ServiceProcess, type: string): Promise<LoggedEvent[]> {
  const response = await fetch(`${service.baseUrl}/v1/events?limit=1000&type=${type}`);
  if (response.status !== 200) throw new Error(`GET /v1/events answered ${response.status}`);
  return ((await response.json()) as { events: LoggedEvent[] }).events;
}

describe('SIGKILL during a workflow execution (real service process, real scraper stub)', () => {
  const dir = makeTempDir('shotclock-workflow-crash-');
  let stub: ScraperStub;
  beforeAll(async () => {
    stub = await ScraperStub.start();
  });
  afterAll(async () => {
    await stub.close();
    dir.cleanup();
  });

  it('marks the execution left running interrupted at the next start, once', async () => {
    const env = {
      SQLITE_PATH: join(dir.path, 'shotclock.sqlite'),
      WORKFLOWS_CONFIG_PATH: writeExecutionWorkflowsYaml(dir.path),
      SCRAPER_SERVICE_URL: stub.url,
    };
    // wf_slow: `slow` (answers after 30 s) then `a`; the kill lands while `slow` is in flight.
    stub.program('slow', { delayMs: 30_000 });
    let service = await startServiceProcess(env);
    const response = await fetch(`${service.baseUrl}/v1/workflows/wf_slow/execute`, {
      method: 'POST',
    });
    expect(response.status).toBe(202);
    const { execution_id: executionId } = (await response.json()) as { execution_id: string };
    await eventually(() => stub.calls('slow') === 1, 'the slow scraper call in flight');
    service.child.kill('SIGKILL');
    expect((await service.exited).signal).toBe('SIGKILL');

    service = await startServiceProcess(env);
    try {
      await eventually(
        async () => (await events(service, 'WorkflowExecutionFinished')).length > 0,
        'WorkflowExecutionFinished after the restart',
        10_000,
      );
      const finished = await events(service, 'WorkflowExecutionFinished');
      expect(finished).toHaveLength(1);
      expect(finished[0]).toMatchObject({
        streamId: `workflow-execution-${executionId}`,
        data: { execution_id: executionId, status: 'interrupted' },
      });
      expect(await events(service, 'WorkflowStepFinished')).toEqual([]);
      expect(stub.calls('a')).toBe(0);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }

    // A third start finds nothing left running: still exactly one finish.
    service = await startServiceProcess(env);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await events(service, 'WorkflowExecutionFinished')).toHaveLength(1);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});
