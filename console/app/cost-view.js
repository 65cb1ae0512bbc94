// @ts-check
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { bytes, percent, usd } from './format.js';
import { Chart } from './chart.js';
import { usePoll } from './poll.js';
import { Facts, Section, Table } from './ui.js';

const DAY_SECONDS = 86_400;
const utcToday = () => new Date().toISOString().slice(0, 10);

/** What BigQuery cost per day and per named query, the cache's savings, and the month ahead. */
export function CostView() {
  const today = utcToday();
  const monthStart = `${today.slice(0, 8)}01`;
  const [from, setFrom] = useState(monthStart);
  const [to, setTo] = useState(today);
  const { data } = usePoll(
    () => ({
      range: `/v1/cost?from=${from}&to=${to}`,
      month: `/v1/cost?from=${monthStart}&to=${today}`,
      queries: '/v1/analytics/queries',
    }),
    [from, to, monthStart, today],
  );
  const days = data.range?.days ?? [];
  return html`<div class="view">
    <${Section} title="Range (UTC days)">
      <div class="row">
        <label class="field"
          >From
          <input
            type="date"
            value=${from}
            onChange=${(/** @type {any} */ e) => e.currentTarget.value && setFrom(e.currentTarget.value)}
        /></label>
        <label class="field"
          >To
          <input
            type="date"
            value=${to}
            onChange=${(/** @type {any} */ e) => e.currentTarget.value && setTo(e.currentTarget.value)}
        /></label>
      </div>
      ${data.range?.estimated ? html`<p class="muted">${data.range.note} (${data.range.sink} sink).</p>` : null}
    <//>
    <${Section} title="Month">
      ${data.month ? html`<${MonthProjection} month=${data.month} today=${today} />` : null}
    <//>
    <${Section} title="Bytes billed and dollars per day">
      ${
        days.length === 0
          ? html`<p class="muted">No query or load in this range.</p>`
          : html`<${Chart}
              label="Bytes billed (left axis) and USD (right axis) per UTC day"
              x=${days.map((/** @type {any} */ d) => Date.parse(`${d.day}T00:00:00Z`) / 1000)}
              xRange=${[
                Date.parse(`${from}T00:00:00Z`) / 1000 - DAY_SECONDS / 2,
                Date.parse(`${to}T00:00:00Z`) / 1000 + DAY_SECONDS / 2,
              ]}
              series=${[
                {
                  label: 'bytes billed',
                  values: days.map((/** @type {any} */ d) => d.totals.bytes_billed),
                  format: (/** @type {number} */ v) => `${(v / 2 ** 20).toFixed(1)} MiB`,
                },
                {
                  label: 'USD',
                  scale: 'usd',
                  values: days.map((/** @type {any} */ d) => d.totals.usd),
                  format: (/** @type {number} */ v) => `$${v.toPrecision(2)}`,
                },
              ]}
            />`
      }
      <${Table}
        label="Cost per day"
        rows=${days}
        empty=""
        columns=${[
          ['Day', (/** @type {any} */ d) => d.day],
          ['Requests', (/** @type {any} */ d) => d.totals.requests],
          ['Jobs', (/** @type {any} */ d) => d.totals.jobs],
          ['Bytes billed', (/** @type {any} */ d) => bytes(d.totals.bytes_billed)],
          ['USD', (/** @type {any} */ d) => usd(d.totals.usd)],
          [
            'Export loads',
            (/** @type {any} */ d) =>
              d.export.reduce((/** @type {number} */ n, /** @type {any} */ e) => n + e.loads, 0),
          ],
        ]}
      />
    <//>
    <${Section} title="Per named query">
      <${Table}
        label="Cost per named query over the range"
        rows=${perQuery(days)}
        empty="No query ran in this range."
        columns=${[
          ['Query', (/** @type {any} */ q) => q.name],
          ['Requests', (/** @type {any} */ q) => q.requests],
          ['Jobs', (/** @type {any} */ q) => q.jobs],
          ['App cache hits', (/** @type {any} */ q) => q.app_cache_hits],
          ['BigQuery cache hits', (/** @type {any} */ q) => q.bigquery_cache_hits],
          ['Bytes billed', (/** @type {any} */ q) => bytes(q.bytes_billed)],
          ['USD', (/** @type {any} */ q) => usd(q.usd)],
        ]}
      />
      <p>
        Application-cache hit rate over the range:
        <strong>${percent(data.range?.totals.queries.app_cache_hit_rate)}</strong>
      </p>
      <${Table}
        label="Cache per named query since start"
        rows=${data.queries?.queries ?? []}
        columns=${[
          ['Query', (/** @type {any} */ q) => q.name],
          [
            'Cache',
            (/** @type {any} */ q) =>
              q.cache.enabled ? `on (${q.cache.max_age_ms / 60000} min)` : 'off',
          ],
          ['Hits', (/** @type {any} */ q) => q.cache.hits],
          ['Misses', (/** @type {any} */ q) => q.cache.misses],
          [
            'Hit rate',
            (/** @type {any} */ q) =>
              percent(
                q.cache.hits + q.cache.misses
                  ? q.cache.hits / (q.cache.hits + q.cache.misses)
                  : null,
              ),
          ],
        ]}
      />
    <//>
  </div>`;
}

/** Sums the per-day rows of each named query. */
function perQuery(/** @type {any[]} */ days) {
  /** @type {Map<string, any>} */
  const byName = new Map();
  for (const day of days) {
    for (const q of day.queries) {
      const sum = byName.get(q.query_name) ?? {
        name: q.query_name,
        requests: 0,
        jobs: 0,
        app_cache_hits: 0,
        bigquery_cache_hits: 0,
        bytes_billed: 0,
        usd: 0,
      };
      for (const key of [
        'requests',
        'jobs',
        'app_cache_hits',
        'bigquery_cache_hits',
        'bytes_billed',
        'usd',
      ])
        sum[key] += q[key];
      byName.set(q.query_name, sum);
    }
  }
  return [...byName.values()];
}

/**
 * Month-to-date spend and a straight-line projection (spend so far / days elapsed x days in the
 * month): labelled as a projection, not a forecast.
 * @param {{ month: any, today: string }} props
 */
export function MonthProjection({ month, today }) {
  const spent = month.totals.queries.usd + month.totals.export.usd;
  const elapsed = Number(today.slice(8, 10));
  const [year, monthNumber] = today.split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(Number(year), Number(monthNumber), 0)).getUTCDate();
  const projected = (spent / elapsed) * daysInMonth;
  return html`<${Facts}
    items=${[
      [
        'Month to date',
        `${usd(spent)} (${bytes(month.totals.queries.bytes_billed)} billed, ${elapsed} of ${daysInMonth} days)`,
      ],
      [
        'Projected month (projection: month to date ÷ days elapsed × days in month)',
        html`<strong>${usd(projected)}</strong>`,
      ],
    ]}
  />`;
}
