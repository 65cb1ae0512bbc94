import { ManualClock } from '../../src/common/clock/clock.js';
import type { Storage } from '../../src/common/event-store/index.js';
import type {
  WorkflowExecutionFinished,
  WorkflowExecutionStarted,
  WorkflowStepFinished,
} from '../../src/modules/workflows/workflow.events.js';
import type {
  ScraperDefinition,
  WorkflowDefinition,
} from '../../src/modules/workflows/workflow-config.types.js';
import { ScraperStub } from '../support/scraper-stub.js';
import { sqliteStorageFactory } from '../support/sqlite-storage.factory.js';
import {
  definitionOf,
  executionEvents,
  manualRequest,
  runnerFor,
  scraperDef,
  step,
  workflowDef,
} from '../support/workflows-execution-fixtures.js';

/** The workflow runner against a real HTTP scraper stub and a real SQLite store. */
describe('WorkflowRunner (real HTTP scraper stub, real SQLite)', () => {
  const factory = sqliteStorageFactory();
  let stub: ScraperStub;
  let storage: Storage;
  let clock: ManualClock;
  let counter = 0;

  beforeEach(async () => {
    stub = await ScraperStub.start();
    clock = new ManualClock('2026-01-22T15:00:00.000Z');
    ({ storage } = await factory.create(clock));
  });
  afterEach(async () => {
    await stub.close();
    await storage.close();
  });
  afterAll(() => factory.dispose());

  const run = async (
    workflow: WorkflowDefinition,
    scrapers: ScraperDefinition[],
    options: Parameters<typeof runnerFor>[4] = {},
  ) => {
    const { runner, breakers } = runnerFor(
      storage,
      clock,
      definitionOf([workflow], scrapers),
      stub.url,
      options,
    );
    const id = `exec-${++counter}`;
    const started = await runner.start(manualRequest(workflow, id));
    const finished = await runner.run(started!, new AbortController().signal);
    const events = await executionEvents(storage, id);
    const steps = events
      .filter((e) => e.type === 'WorkflowStepFinished')
      .map((e) => e.data as unknown as WorkflowStepFinished);
    return { id, finished, events, steps, breakers, runner };
  };
  const names = (...list: string[]) => list.map((name) => scraperDef(name));
  const outcomes = (steps: WorkflowStepFinished[]) =>
    Object.fromEntries(steps.map((s) => [s.scraper, [s.outcome, s.attempts]]));

  it('records Started, one StepFinished per call and Finished with counts, in that order', async () => {
    const workflow = workflowDef('wf', [step('main', 'parallel', ['a', 'b'])]);
    const { id, events, finished } = await run(workflow, names('a', 'b'));
    expect(events.map((e) => e.type)).toEqual([
      'WorkflowExecutionStarted',
      'WorkflowStepFinished',
      'WorkflowStepFinished',
      'WorkflowExecutionFinished',
    ]);
    expect(events[0]!.data as unknown as WorkflowExecutionStarted).toEqual({
      execution_id: id,
      workflow: 'wf',
      evaluation_id: null,
      trigger: 'manual',
      local_date: '2026-01-22',
      started_at: '2026-01-22T15:00:00.000Z',
      execution_mode: 'parallel',
      max_workers: 10,
      scrapers: ['a', 'b'],
    });
    expect(finished).toMatchObject({
      status: 'completed',
      counts: { success: 2, no_data: 0, failed: 0, timed_out: 0, circuit_open: 0 },
      errors: [],
    });
    expect(events[3]!.data).toEqual(finished);
    expect(stub.requests.map((r) => ({ ...r, seq: 0, arrivedAtMs: 0 }))).toContainEqual({
      scraper: 'a',
      workflow: 'wf',
      source: 'CONTROLLER',
      seq: 0,
      arrivedAtMs: 0,
    });
  });

  it('starts an execution id at most once', async () => {
    const workflow = workflowDef('wf', [step('main', 'single', ['a'])]);
    const { runner } = runnerFor(storage, clock, definitionOf([workflow], names('a')), stub.url);
    expect(await runner.start(manualRequest(workflow, 'once'))).not.toBeNull();
    expect(await runner.start(manualRequest(workflow, 'once'))).toBeNull();
  });

  it('never has more than max_workers calls in flight (peak measured by the stub)', async () => {
    const scrapers = names('s1', 's2', 's3', 's4', 's5', 's6', 's7');
    for (const s of scrapers) stub.program(s.name, { delayMs: 80 });
    const workflow = workflowDef(
      'wf',
      [
        step(
          'main',
          'parallel',
          scrapers.map((s) => s.name),
        ),
      ],
      { maxWorkers: 3 },
    );
    const { finished, steps } = await run(workflow, scrapers);
    expect(stub.peakConcurrencyOf('wf')).toBe(3);
    expect(steps).toHaveLength(7);
    expect(finished.counts.success).toBe(7);
  });

  it('with ENABLE_PARALLEL_CONFIG off: morning_operations uses 10 workers, any other workflow one', async () => {
    const scrapers = Array.from({ length: 12 }, (_, i) => scraperDef(`m${i}`));
    for (const s of scrapers) stub.program(s.name, { delayMs: 80 });
    const plan = [
      step(
        'main',
        'parallel',
        scrapers.map((s) => s.name),
      ),
    ];
    const morning = await run(
      workflowDef('morning_operations', plan, { maxWorkers: 2 }),
      scrapers,
      {
        parallelConfig: false,
      },
    );
    expect(stub.peakConcurrencyOf('morning_operations')).toBe(10);
    expect(morning.events[0]!.data).toMatchObject({ execution_mode: 'parallel', max_workers: 10 });

    const other = await run(
      workflowDef(
        'post_game_window_1',
        plan.map((s) => ({ ...s, scrapers: s.scrapers.slice(0, 3) })),
        {
          maxWorkers: 2,
        },
      ),
      scrapers,
      { parallelConfig: false },
    );
    expect(stub.peakConcurrencyOf('post_game_window_1')).toBe(1);
    expect(other.events[0]!.data).toMatchObject({ execution_mode: 'sequential', max_workers: 1 });
  });

  it('sequential: calls arrive in plan order, each after the previous answered', async () => {
    stub.program('slow', { delayMs: 150 }).program('mid', { delayMs: 50 }).program('fast', {});
    const workflow = workflowDef('seq', [step('main', 'sequential', ['slow', 'mid', 'fast'])], {
      executionMode: 'sequential',
    });
    const { steps } = await run(workflow, names('slow', 'mid', 'fast'));
    expect(stub.requests.map((r) => r.scraper)).toEqual(['slow', 'mid', 'fast']);
    expect(stub.peakConcurrencyOf('seq')).toBe(1);
    expect(steps.map((s) => s.scraper)).toEqual(['slow', 'mid', 'fast']);
    expect(steps[0]!.duration_ms).toBeGreaterThanOrEqual(140);
  });

  it('passes the outputs of depended-on steps on as inputs', async () => {
    stub.program('events', { rowCount: 4 }).program('props', { rowCount: 9 });
    const workflow = workflowDef('betting_lines', [
      step('step_1', 'single', ['events']),
      step('step_2', 'parallel', ['props'], ['step_1']),
    ]);
    const { steps } = await run(workflow, names('events', 'props'));
    expect(stub.requestsOf('events')[0]!.inputs).toBeUndefined();
    expect(stub.requestsOf('props')[0]!.inputs).toEqual({
      events: { rowCount: 4, scraper: 'events', call: 1 },
    });
    expect(steps.map((s) => [s.step, s.scraper, s.row_count])).toEqual([
      ['step_1', 'events', 4],
      ['step_2', 'props', 9],
    ]);
  });

  it('a per-call timeout is retried, then the call is timed_out after 3 attempts', async () => {
    stub.program('hang', { delayMs: 400 });
    const workflow = workflowDef('wf', [step('main', 'single', ['hang'])]);
    const { finished, steps } = await run(workflow, names('hang'), { callTimeoutMs: 100 });
    expect(outcomes(steps)).toEqual({ hang: ['timed_out', 3] });
    expect(stub.calls('hang')).toBe(3);
    expect(steps[0]!.error).toContain('no answer within 100 ms');
    expect(finished.status).toBe('failed');
    expect(finished.counts.timed_out).toBe(1);
  });

  it('the whole-workflow timeout records the call in flight and the calls not started as timed_out', async () => {
    stub.program('quick', { delayMs: 20 }).program('stuck', { delayMs: 5_000 });
    const workflow = workflowDef('wf', [step('main', 'sequential', ['quick', 'stuck', 'never'])], {
      executionMode: 'sequential',
    });
    const began = Date.now();
    const { finished, steps } = await run(workflow, names('quick', 'stuck', 'never'), {
      workflowExecutionMs: 300,
    });
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(outcomes(steps)).toEqual({
      quick: ['success', 1],
      stuck: ['timed_out', 1],
      never: ['timed_out', 0],
    });
    expect(stub.calls('never')).toBe(0);
    expect(steps[1]!.error).toContain('exceeded its 300 ms limit');
    expect(finished).toMatchObject({
      status: 'completed',
      counts: { success: 1, timed_out: 2 },
    });
    expect(finished.errors).toHaveLength(2);
  });

  it('429 and 500 are retried with exponential backoff and jitter, then succeed', async () => {
    stub.program('flaky', { statuses: [429, 500] });
    const workflow = workflowDef('wf', [step('main', 'single', ['flaky'])]);
    const { steps, finished } = await run(workflow, names('flaky'));
    expect(outcomes(steps)).toEqual({ flaky: ['success', 3] });
    const [first, second, third] = stub.requestsOf('flaky').map((r) => r.arrivedAtMs);
    // base 40 ms, random 0.5: 20 ms before the 1st retry, 40 ms before the 2nd.
    expect(second! - first!).toBeGreaterThanOrEqual(18);
    expect(third! - second!).toBeGreaterThanOrEqual(38);
    expect(finished.status).toBe('completed');
  });

  it('a 400 is not retried: failed after one attempt, with the answer in the error', async () => {
    stub.program('bad', { statuses: [400] });
    const workflow = workflowDef('wf', [step('main', 'single', ['bad'])]);
    const { steps, finished } = await run(workflow, names('bad'));
    expect(outcomes(steps)).toEqual({ bad: ['failed', 1] });
    expect(stub.calls('bad')).toBe(1);
    expect(steps[0]!.error).toContain('HTTP 400 (not retried)');
    expect(finished).toMatchObject({ status: 'failed', errors: [steps[0]!.error] });
  });

  it('500 on every attempt: failed after 3 attempts', async () => {
    stub.program('down', { thenStatus: 503 });
    const workflow = workflowDef('wf', [step('main', 'single', ['down'])]);
    const { steps } = await run(workflow, names('down'));
    expect(outcomes(steps)).toEqual({ down: ['failed', 3] });
    expect(steps[0]!.error).toContain('HTTP 503');
    expect(steps[0]!.error).toContain('after 3 attempts');
  });

  it('0 rows is no_data: a failure for the workflow unless the scraper treats no data as success', async () => {
    stub.program('empty', { rowCount: 0 });
    const workflow = workflowDef('wf', [step('main', 'single', ['empty'])]);
    const strict = await run(workflow, names('empty'));
    expect(outcomes(strict.steps)).toEqual({ empty: ['no_data', 1] });
    expect(strict.steps[0]!.row_count).toBe(0);
    expect(strict.finished.status).toBe('failed');
    const lenient = await run(workflow, [scraperDef('empty', { treatNoDataAsSuccess: true })]);
    expect(outcomes(lenient.steps)).toEqual({ empty: ['no_data', 1] });
    expect(lenient.finished.status).toBe('completed');
  });

  it('requireAllCritical: a failed critical scraper fails the workflow despite other successes', async () => {
    stub.program('crit', { statuses: [400] });
    const workflow = workflowDef('wf', [step('main', 'parallel', ['crit', 'extra'])], {
      requireAllCritical: true,
    });
    const { finished } = await run(workflow, [
      scraperDef('crit', { critical: true }),
      scraperDef('extra'),
    ]);
    expect(finished.status).toBe('failed');
    expect(finished.counts).toMatchObject({ success: 1, failed: 1 });
  });

  it('circuit breaker: opens after 5 failures, short-circuits, half-opens after the reset, closes after 3 successes', async () => {
    stub.program('x', { thenStatus: 500 });
    const workflow = workflowDef('wf', [step('main', 'single', ['x'])]);
    const first = await run(workflow, names('x'));
    const breakers = first.breakers;
    for (let i = 0; i < 4; i++) {
      clock.advanceMs(5_000);
      await run(workflow, names('x'), { breakers });
    }
    expect(breakers.forScraper('x').state).toBe('open');
    expect(stub.calls('x')).toBe(15);

    const refused = await run(workflow, names('x'), { breakers });
    expect(outcomes(refused.steps)).toEqual({ x: ['circuit_open', 0] });
    expect(refused.steps[0]!.error).toContain('circuit breaker open');
    expect(refused.finished).toMatchObject({ status: 'failed', counts: { circuit_open: 1 } });
    expect(stub.calls('x')).toBe(15);

    clock.advanceMs(300_000 - 1);
    expect(outcomes((await run(workflow, names('x'), { breakers })).steps)).toEqual({
      x: ['circuit_open', 0],
    });
    clock.advanceMs(1);
    expect(breakers.forScraper('x').state).toBe('half_open');

    // A failed trial call opens it again.
    const trial = await run(workflow, names('x'), { breakers });
    expect(outcomes(trial.steps)).toEqual({ x: ['failed', 3] });
    expect(breakers.forScraper('x').state).toBe('open');

    clock.advanceMs(300_000);
    stub.program('x', {});
    for (let i = 0; i < 2; i++) {
      expect(outcomes((await run(workflow, names('x'), { breakers })).steps)).toEqual({
        x: ['success', 1],
      });
      expect(breakers.forScraper('x').state).toBe('half_open');
    }
    await run(workflow, names('x'), { breakers });
    expect(breakers.forScraper('x').state).toBe('closed');
  });

  it('a shutdown abandons the calls in flight and finishes the execution interrupted', async () => {
    stub.program('done', {}).program('slow', { delayMs: 5_000 });
    const workflow = workflowDef('wf', [step('main', 'sequential', ['done', 'slow', 'later'])], {
      executionMode: 'sequential',
    });
    const { runner } = runnerFor(
      storage,
      clock,
      definitionOf([workflow], names('done', 'slow', 'later')),
      stub.url,
    );
    const started = await runner.start(manualRequest(workflow, 'shut'));
    const shutdown = new AbortController();
    const running = runner.run(started!, shutdown.signal);
    while (stub.calls('slow') === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    shutdown.abort();
    const finished: WorkflowExecutionFinished = await running;
    expect(finished.status).toBe('interrupted');
    expect(finished.counts.success).toBe(1);
    const events = await executionEvents(storage, 'shut');
    expect(events.map((e) => e.type)).toEqual([
      'WorkflowExecutionStarted',
      'WorkflowStepFinished',
      'WorkflowExecutionFinished',
    ]);
    expect(stub.calls('later')).toBe(0);
  });
});
