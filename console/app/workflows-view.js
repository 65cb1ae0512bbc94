// @ts-check
import { useState } from 'preact/hooks';
import { post } from './api.js';
import { html } from './html.js';
import { DASH, localDate, timestamp } from './format.js';
import { usePoll } from './poll.js';
import { Outcome, outcomeOf, Section, Table } from './ui.js';

const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));

/** What each workflow decided each hour of a day, what ran, and the latest state of each. */
export function WorkflowsView() {
  const [date, setDate] = useState(localDate());
  const [outcome, setOutcome] = useState(
    /** @type {{ ok: boolean, text: string } | null} */ (null),
  );
  const { data, reload } = usePoll(
    () => ({
      decisions: `/v1/workflows/decisions?date=${date}`,
      executions: `/v1/workflows/executions?date=${date}`,
      workflows: '/v1/workflows',
    }),
    [date],
  );
  const act = async (/** @type {'evaluate' | 'execute'} */ action) => {
    setOutcome(
      await outcomeOf(async () => {
        const answer = await post(`/v1/workflows/${action}`);
        return action === 'evaluate'
          ? `Evaluated hour ${answer.hour_key}${answer.replayed ? ' (already evaluated this hour: the first evaluation is shown)' : ''}: ${answer.decisions.filter((/** @type {any} */ d) => d.action === 'RUN').length} RUN of ${answer.decisions.length}.`
          : `Execute for ${answer.hour_key}: started ${answer.started.length}, already started ${answer.already_started.length}, skipped ${answer.skipped.length}.`;
      }),
    );
    await reload();
  };
  return html`<div class="view">
    <${Section} title="Actions">
      <div class="row">
        <label class="field"
          >Local date
          <input
            type="date"
            value=${date}
            onChange=${(/** @type {any} */ e) => e.currentTarget.value && setDate(e.currentTarget.value)}
        /></label>
        <button type="button" onClick=${() => act('evaluate')}>Evaluate now</button>
        <button type="button" onClick=${() => act('execute')}>Execute</button>
      </div>
      <${Outcome} outcome=${outcome} label="Workflow action outcome" />
    <//>
    <${Section}
      title=${`Decisions of ${date}${data.decisions ? ` (${data.decisions.timezone})` : ''}`}
    >
      <${DecisionGrid}
        evaluations=${data.decisions?.evaluations ?? []}
        workflows=${(data.workflows?.workflows ?? []).map((/** @type {any} */ w) => w.name)}
      />
    <//>
    <${Section} title="Executions">
      ${
        data.executions
          ? html`<p class="muted">
              ${Object.entries(data.executions.counts)
                .map(([k, v]) => `${k} ${v}`)
                .join(' · ')}
            </p>`
          : null
      }
      <${Table}
        label="Executions of the day"
        rows=${data.executions?.executions ?? []}
        empty="No execution this day."
        columns=${[
          ['Workflow', (/** @type {any} */ e) => e.workflow],
          ['Trigger', (/** @type {any} */ e) => e.trigger],
          [
            'Status',
            (/** @type {any} */ e) => html`<span class=${`tag ${e.status}`}>${e.status}</span>`,
          ],
          ['Started', (/** @type {any} */ e) => timestamp(e.started_at)],
          [
            'Duration',
            (/** @type {any} */ e) =>
              e.duration_ms === null ? 'running' : `${(e.duration_ms / 1000).toFixed(1)} s`,
          ],
          [
            'Scraper calls',
            (/** @type {any} */ e) =>
              `${e.steps_finished} of ${e.scrapers.length} (${e.scrapers.join(', ')})`,
          ],
          [
            'Outcomes',
            (/** @type {any} */ e) =>
              Object.entries(e.counts ?? {})
                .filter(([, n]) => n)
                .map(([k, n]) => `${k} ${n}`)
                .join(', ') || DASH,
          ],
          [
            'Retries / errors',
            (/** @type {any} */ e) =>
              e.errors?.length
                ? e.errors
                    .map((/** @type {any} */ x) => (typeof x === 'string' ? x : JSON.stringify(x)))
                    .join('; ')
                : DASH,
          ],
        ]}
      />
    <//>
    <${Section} title="Latest per workflow">
      <${Table}
        label="Latest decision and execution per workflow"
        rows=${data.workflows?.workflows ?? []}
        columns=${[
          ['Workflow', (/** @type {any} */ w) => w.name],
          ['Enabled', (/** @type {any} */ w) => (w.enabled ? 'yes' : 'no')],
          ['Priority', (/** @type {any} */ w) => w.priority],
          [
            'Last decision',
            (/** @type {any} */ w) =>
              w.last_decision
                ? `${w.last_decision.action} at ${w.last_decision.hour_key}: ${w.last_decision.reason}`
                : DASH,
          ],
          [
            'Last execution',
            (/** @type {any} */ w) =>
              w.last_execution
                ? `${w.last_execution.status} (${timestamp(w.last_execution.started_at)})`
                : DASH,
          ],
          ['Circuit breaker', (/** @type {any} */ w) => circuitText(w)],
        ]}
      />
    <//>
  </div>`;
}

/** The breaker state when the API reports it (per scraper), else a dash. */
function circuitText(/** @type {any} */ workflow) {
  const state = workflow.circuit_breakers ?? workflow.circuit_breaker;
  if (!state) return DASH;
  return typeof state === 'object'
    ? Object.entries(state)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
        .join(', ')
    : String(state);
}

/** @param {{ evaluations: any[], workflows: string[] }} props */
function DecisionGrid({ evaluations, workflows }) {
  /** @type {Map<string, Map<string, any>>} workflow -> hour -> decision */
  const cells = new Map();
  for (const evaluation of evaluations) {
    const hour = evaluation.hour_key.slice(11, 13);
    for (const decision of evaluation.decisions) {
      if (!cells.has(decision.workflow)) cells.set(decision.workflow, new Map());
      cells.get(decision.workflow)?.set(hour, decision);
    }
  }
  const names = [...new Set([...workflows, ...cells.keys()])];
  if (evaluations.length === 0) return html`<p class="muted">No evaluation this day.</p>`;
  return html`<div
    class="scroll"
    role="region"
    aria-label="Decisions by workflow and hour"
    tabindex="0"
  >
    <table class="grid">
      <caption class="sr-only">
        Decisions by workflow (rows) and local hour (columns)
      </caption>
      <thead>
        <tr>
          <th scope="col">Workflow</th>
          ${HOURS.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${names.map(
          (name) =>
            html`<tr>
              <th scope="row">${name}</th>
              ${HOURS.map((hour) => {
                const d = cells.get(name)?.get(hour);
                return d
                  ? html`<td
                      class=${`cell ${d.action.toLowerCase()}`}
                      title=${`${d.action}: ${d.reason}`}
                    >
                      <span aria-hidden="true">${d.action}</span
                      ><span class="sr-only">${hour}:00 ${d.action}: ${d.reason}</span>
                    </td>`
                  : html`<td class="cell"><span class="sr-only">${hour}:00 no decision</span></td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
