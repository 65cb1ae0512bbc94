import type { ScraperStub } from '../../test/support/scraper-stub.js';
import { check, pollFor, type SceneContext, type SceneReport } from '../scene.js';

/** The scraper that fails twice (500, 503) before answering: retried with backoff. */
export const FLAKY_SCRAPER = 'bdl_active_players';

/** How the built-in scraper service answers during the simulated day. */
export function programScrapers(stub: ScraperStub): void {
  for (const scraper of [
    'nbac_schedule_api',
    'nbac_player_list',
    'oddsa_events',
    'oddsa_player_props',
    'bdl_player_boxscores',
    'nbac_gamebook_pdf',
  ]) {
    stub.program(scraper, { delayMs: 50, rowCount: 25 });
  }
  stub.program(FLAKY_SCRAPER, { delayMs: 30, statuses: [500, 503], thenStatus: 200, rowCount: 12 });
  // No injury report published yet: 0 rows, a success for this scraper (treat_no_data_as_success).
  stub.program('nbac_injury_report', { delayMs: 20, rowCount: 0 });
}

interface Evaluation {
  evaluation_id: string;
  hour_key: string;
  replayed: boolean;
  decisions: Array<{ workflow: string; action: string; reason: string }>;
}
interface Execution {
  execution_id: string;
  workflow: string;
  trigger: string;
  status: string;
  duration_ms: number | null;
  counts: Record<string, number>;
}
interface StepEvent {
  data: { execution_id: string; scraper: string; outcome: string; attempts: number };
}

/** The hourly evaluate/execute cycle, then a manual run of the workflow with the flaky scraper. */
export async function workflowsScene(
  { client, progress }: SceneContext,
  executionWaitMs: number,
): Promise<SceneReport> {
  const first = (await client.post<Evaluation>('/v1/workflows/evaluate', {})).body;
  const again = (await client.post<Evaluation>('/v1/workflows/evaluate', {})).body;
  const run = first.decisions.filter((d) => d.action === 'RUN').map((d) => d.workflow);
  progress(`evaluated hour ${first.hour_key}: RUN ${run.join(', ') || 'nothing'}`);
  const executed = await client.post<{ started: string[] }>('/v1/workflows/execute', {});
  const manual = await client.post<{ execution_id: string }>(
    '/v1/workflows/morning_operations/execute',
    {},
  );
  progress(`execute answered ${executed.status}, manual morning_operations ${manual.status}`);
  const { value: executions, met } = await pollFor(
    async () =>
      (await client.get<{ executions: Execution[] }>('/v1/workflows/executions')).body.executions,
    (list) =>
      list.length >= run.length + 1 && list.every((execution) => execution.status !== 'running'),
    executionWaitMs,
  );
  const steps = await client.get<{ events: StepEvent[] }>(
    '/v1/events?type=WorkflowStepFinished&limit=1000',
  );
  // The scheduled run may call the flaky scraper too (when morning_operations is due at the real
  // hour), so its two programmed failures may be spread over both runs' retries.
  const flakySteps = steps.body.events.filter((event) => event.data.scraper === FLAKY_SCRAPER);
  const flaky = flakySteps.find((event) => event.data.execution_id === manual.body.execution_id);
  const flakyAttempts = flakySteps.reduce((sum, event) => sum + event.data.attempts, 0);
  const morning = executions.find((e) => e.execution_id === manual.body.execution_id);
  return {
    title: 'Workflows',
    lines: [
      `evaluation ${first.hour_key} (${first.evaluation_id}); second call replayed: ${String(again.replayed)}`,
      ...first.decisions.map((d) => `${d.action.padEnd(5)} ${d.workflow}: ${d.reason}`),
      ...executions.map(
        (e) =>
          `execution ${e.workflow} (${e.trigger}): ${e.status} in ${e.duration_ms ?? '-'} ms, steps ${JSON.stringify(e.counts)}`,
      ),
      `flaky scraper ${FLAKY_SCRAPER}: ${flaky ? `${flaky.data.outcome} after ${flaky.data.attempts} attempts` : 'not called'}`,
    ],
    checks: [
      check(
        'every configured workflow has a decision with a reason',
        first.decisions.length >= 4 && first.decisions.every((d) => d.reason.length > 0),
        `${first.decisions.length} decisions`,
      ),
      check(
        'evaluating again in the same hour replays the first evaluation',
        again.replayed && again.evaluation_id === first.evaluation_id,
        `replayed ${String(again.replayed)}`,
      ),
      check(
        'every RUN decision and the manual run executed to the end',
        met && executed.status === 202 && manual.status === 202,
        `${executions.length} executions, statuses ${executions.map((e) => e.status).join()}`,
      ),
      check(
        'the flaky scraper succeeded after retries (its 2 failures retried away)',
        flaky?.data.outcome === 'success' &&
          flakySteps.every((event) => event.data.outcome === 'success') &&
          flakyAttempts === flakySteps.length + 2,
        JSON.stringify(flakySteps.map((event) => event.data)),
      ),
      check(
        'morning_operations completed',
        morning?.status === 'completed',
        morning?.status ?? 'missing',
      ),
    ],
  };
}
