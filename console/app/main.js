// @ts-check
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onTokenRequest } from './api.js';
import { BatchesView } from './batches-view.js';
import { CostView } from './cost-view.js';
import { clockTime } from './format.js';
import { HealthView } from './health-view.js';
import { html } from './html.js';
import { IngestionView } from './ingestion-view.js';
import { onStatus } from './status.js';
import { TodayView } from './today-view.js';
import { TokenForm } from './token-form.js';
import { WorkflowsView } from './workflows-view.js';

/** The tabs, in order; the hash (#batches) keeps the current one across reloads. */
const VIEWS = [
  { id: 'today', label: 'Today', View: TodayView },
  { id: 'batches', label: 'Batches', View: BatchesView },
  { id: 'workflows', label: 'Workflows', View: WorkflowsView },
  { id: 'ingestion', label: 'Ingestion', View: IngestionView },
  { id: 'cost', label: 'Cost', View: CostView },
  { id: 'health', label: 'Health', View: HealthView },
];

const viewFromHash = () => VIEWS.find((v) => `#${v.id}` === location.hash)?.id ?? 'today';

function App() {
  const [current, setCurrent] = useState(viewFromHash);
  const [asking, setAsking] = useState(/** @type {{ refused: boolean } | null} */ (null));
  useEffect(() => onTokenRequest(setAsking), []);
  useEffect(() => {
    const follow = () => setCurrent(viewFromHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const select = (/** @type {string} */ id) => {
    history.replaceState(null, '', `#${id}`);
    setCurrent(id);
  };
  /** Arrow keys move between tabs (the WAI-ARIA tabs pattern). */
  const onKey = (/** @type {KeyboardEvent} */ e) => {
    const at = VIEWS.findIndex((v) => v.id === current);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = VIEWS[(at + step + VIEWS.length) % VIEWS.length];
    if (!next) return;
    select(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const active = VIEWS.find((v) => v.id === current) ?? VIEWS[0];
  if (!active) return null;
  const { View } = active;
  return html` <header class="top">
      <h1>Shotclock</h1>
      <${StatusLine} />
    </header>
    <nav class="tabs" role="tablist" aria-label="Views" onKeyDown=${onKey}>
      ${VIEWS.map(
        (v) =>
          html`<button
            type="button"
            role="tab"
            id=${`tab-${v.id}`}
            aria-controls="panel"
            aria-selected=${v.id === current}
            tabindex=${v.id === current ? 0 : -1}
            onClick=${() => select(v.id)}
          >
            ${v.label}
          </button>`,
      )}
    </nav>
    <main id="panel" role="tabpanel" aria-labelledby=${`tab-${current}`} tabindex="0">
      <${View} key=${current} />
    </main>
    ${asking ? html`<${TokenForm} refused=${asking.refused} />` : null}`;
}

/** "updated HH:MM:SS" and, when a read failed, what failed. */
function StatusLine() {
  const [status, setStatus] = useState(
    /** @type {import('./status.js').ViewStatus} */ ({ updatedAt: null, errors: [] }),
  );
  useEffect(() => onStatus(setStatus), []);
  return html`<div class="status" role="status" aria-live="polite" data-testid="status-line">
    <span
      >${status.updatedAt ? `updated ${clockTime(status.updatedAt)}` : 'loading…'} · every 5 s while
      this tab is visible</span
    >
    ${status.errors.map((error) => html`<span class="status-error">failed: ${error}</span>`)}
  </div>`;
}

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
