// @ts-check
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { DASH, duration, timestamp } from './format.js';
import { usePoll } from './poll.js';
import { PlayerPages } from './player-pages.js';
import { Section } from './ui.js';

const RECENT_LIMIT = 20;

/** Running and recent batches: how far, how fast, when done, who is missing. */
export function BatchesView() {
  const { data, loaded } = usePoll(
    () => ({ running: '/v1/batches?status=running', recent: `/v1/batches?limit=${RECENT_LIMIT}` }),
    [],
  );
  const running = data.running?.items ?? [];
  const recent = (data.recent?.items ?? []).filter(
    (/** @type {any} */ b) => !running.some((/** @type {any} */ r) => r.batch_id === b.batch_id),
  );
  if (!loaded) return html`<p class="muted">Loading…</p>`;
  return html`<div class="view">
    <${Section} title="Running batches">
      ${running.length === 0 ? html`<p class="muted">No batch is running.</p>` : running.map((b) => html`<${BatchCard} key=${b.batch_id} batch=${b} />`)}
    <//>
    <${Section} title="Recent batches">
      ${recent.length === 0 ? html`<p class="muted">No other batch.</p>` : recent.map((b) => html`<${BatchCard} key=${b.batch_id} batch=${b} />`)}
    <//>
  </div>`;
}

/**
 * Predictions per minute and the estimated end: the server's figures when it sends them, else
 * from the start and last completion times.
 * @param {any} batch
 */
export function pace(batch) {
  const reported = batch.completed_count + batch.failed_count;
  const remaining = Math.max(0, batch.expected_players - reported);
  let rate = batch.rate_per_minute ?? null;
  if (rate === null && reported > 0 && batch.started_at) {
    const until = Date.parse(batch.last_completion_at ?? batch.started_at);
    const minutes = Math.max((until - Date.parse(batch.started_at)) / 60000, 1 / 60);
    rate = reported / minutes;
  }
  let eta = batch.estimated_completion_at ?? null;
  if (!eta && rate && remaining > 0 && batch.status === 'running')
    eta = new Date(Date.now() + (remaining / rate) * 60000).toISOString();
  return { rate, eta, remaining };
}

/** @param {{ batch: any }} props */
function BatchCard({ batch }) {
  const [panel, setPanel] = useState(/** @type {'none' | 'missing' | 'completions'} */ ('none'));
  const pct = Math.round(batch.completion_percentage ?? 0);
  const { rate, eta } = pace(batch);
  const labelId = `batch-${batch.batch_id}-label`;
  const stalled = batch.stalled === true;
  return html`<article class="batch" aria-labelledby=${labelId}>
    <h3 id=${labelId}>
      ${batch.batch_id}
      <span class=${`tag ${stalled ? 'late' : batch.status}`}
        >${stalled ? 'stalled' : batch.status}</span
      >
    </h3>
    <div
      class="progress"
      role="progressbar"
      aria-labelledby=${labelId}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${pct}
      aria-valuetext=${`${pct}%: ${batch.completed_count} of ${batch.expected_players} players`}
    >
      <div class="progress-fill" style=${`width: ${Math.min(pct, 100)}%`}></div>
    </div>
    <p>
      ${
        `${pct}% · ${batch.completed_count} of ${batch.expected_players} players completed · ` +
        `${batch.failed_count} failed · ${batch.total_predictions} predictions`
      }
    </p>
    <p class="muted">
      ${[
        `Game date ${batch.game_date}`,
        `started ${timestamp(batch.started_at)}`,
        `rate ${rate === null ? DASH : `${rate.toFixed(1)} players/min`}`,
        batch.status === 'running'
          ? `estimated completion ${eta ? `${timestamp(eta)} (in ${duration((Date.parse(eta) - Date.now()) / 1000)})` : DASH}`
          : `finished ${timestamp(batch.completed_at)} (${batch.completion_reason ?? DASH})`,
      ].join(' · ')}
      ${batch.rate_per_minute === undefined ? ' (rate and estimate computed in the page)' : ''}
    </p>
    <div class="row">
      ${batch.has_expected_list ? html`<button type="button" aria-expanded=${panel === 'missing'} onClick=${() => setPanel(panel === 'missing' ? 'none' : 'missing')}>Missing players (${batch.missing_count})</button>` : null}
      <button
        type="button"
        aria-expanded=${panel === 'completions'}
        onClick=${() => setPanel(panel === 'completions' ? 'none' : 'completions')}
      >
        Completions
      </button>
    </div>
    ${panel === 'missing' ? html`<${PlayerPages} key="missing" label=${`Missing players of ${batch.batch_id}`} path=${`/v1/batches/${encodeURIComponent(batch.batch_id)}/missing`} columns=${[['Player', (/** @type {any} */ r) => r.player_lookup]]} />` : null}
    ${
      panel === 'completions'
        ? html`<${PlayerPages}
            key="completions"
            label=${`Completions of ${batch.batch_id}`}
            path=${`/v1/batches/${encodeURIComponent(batch.batch_id)}/completions`}
            columns=${[
              ['Player', (/** @type {any} */ r) => r.player_lookup],
              ['Status', (/** @type {any} */ r) => r.status],
              ['Predictions', (/** @type {any} */ r) => r.predictions_count],
              ['Expected', (/** @type {any} */ r) => (r.expected ? 'yes' : 'no')],
              ['Completed at', (/** @type {any} */ r) => timestamp(r.completed_at)],
              ['Error', (/** @type {any} */ r) => r.error_message],
            ]}
          />`
        : null
    }
  </article>`;
}
