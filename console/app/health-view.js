// @ts-check
import { html } from './html.js';
import { DASH, timestamp } from './format.js';
import { usePoll } from './poll.js';
import { Facts, Section, Table } from './ui.js';

const ALERTS_LIMIT = 50;

/** Is the service well: health, projections and their lag, leases, outbox, alerts. */
export function HealthView() {
  const { data } = usePoll(
    () => ({
      health: '/health',
      projections: '/v1/projections',
      leases: '/v1/leases',
      outbox: '/v1/outbox?limit=1',
      alerts: `/v1/alerts?limit=${ALERTS_LIMIT}`,
    }),
    [],
  );
  const health = data.health;
  return html`<div class="view">
    <${Section} title="Service">
      ${
        health
          ? html`<${Facts}
              items=${[
                ['Status', html`<strong class=${`tag ${health.status}`}>${health.status}</strong>`],
                ['Version', `${health.version} (${health.environment})`],
                ['Uptime', `${health.uptime_seconds} s`],
                ['Store', health.dependencies?.event_store?.store],
                ['Push auth', health.push_auth?.mode],
                ['Requests', `${health.request_count} (p95 ${health.p95_latency_ms} ms)`],
              ]}
            />`
          : null
      }
    <//>
    <${Section} title="Projections">
      <${Table}
        label="Projections and reactions"
        rows=${data.projections?.projections ?? []}
        columns=${[
          ['Name', (/** @type {any} */ p) => p.name],
          ['Kind', (/** @type {any} */ p) => p.kind],
          [
            'State',
            (/** @type {any} */ p) => html`<span class=${`tag ${p.state}`}>${p.state}</span>`,
          ],
          ['Lag (events)', (/** @type {any} */ p) => p.lag],
          ['Holder', (/** @type {any} */ p) => p.holder],
          ['Last error', (/** @type {any} */ p) => p.last_error ?? DASH],
        ]}
      />
    <//>
    <${Section} title="Leases">
      <${Table}
        label="Leases"
        rows=${data.leases?.leases ?? []}
        columns=${[
          ['Job', (/** @type {any} */ l) => l.name],
          [
            'Holder',
            (/** @type {any} */ l) => `${l.holder}${l.held_here ? ' (this instance)' : ''}`,
          ],
          ['Live', (/** @type {any} */ l) => (l.live ? 'yes' : 'no')],
          ['Expires', (/** @type {any} */ l) => timestamp(l.expires_at)],
        ]}
      />
    <//>
    <${Section} title="Outbox">
      <${Table}
        label="Outbox topics"
        rows=${data.outbox?.topics ?? []}
        columns=${[
          ['Topic', (/** @type {any} */ t) => t.topic],
          [
            'State',
            (/** @type {any} */ t) => html`<span class=${`tag ${t.state}`}>${t.state}</span>`,
          ],
          ['Backlog', (/** @type {any} */ t) => t.backlog],
          ['Stopped because', (/** @type {any} */ t) => t.stopped_reason ?? DASH],
          ['Last error', (/** @type {any} */ t) => t.last_error ?? DASH],
        ]}
      />
    <//>
    <${Section} title="Alerts">
      <${Table}
        label="Alerts (oldest first)"
        rows=${data.alerts?.items ?? []}
        empty="No alert raised."
        columns=${[
          ['Raised', (/** @type {any} */ a) => timestamp(a.raised_at)],
          ['Kind', (/** @type {any} */ a) => a.kind],
          ['Severity', (/** @type {any} */ a) => a.severity],
          ['Message', (/** @type {any} */ a) => a.summary],
          ['Delivery', (/** @type {any} */ a) => a.delivery],
        ]}
      />
    <//>
  </div>`;
}
