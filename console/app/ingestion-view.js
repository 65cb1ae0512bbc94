// @ts-check
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { Chart } from './chart.js';
import { usePoll } from './poll.js';
import { QuarantinePanel } from './quarantine-panel.js';
import { Facts, Section, Table } from './ui.js';

const ACTIVITY_MINUTES = 60;

/** Pushes per minute, duplicates and conflicts, the quarantine, and where dead letters are. */
export function IngestionView() {
  const [reason, setReason] = useState('');
  const { data } = usePoll(
    () => ({
      activity: { path: `/v1/ingestion/activity?minutes=${ACTIVITY_MINUTES}`, optional: true },
      stats: '/v1/dedup/stats',
    }),
    [],
  );
  const stats = data.stats;
  const reasons = Object.keys(stats?.quarantine_by_reason ?? {});
  return html`<div class="view">
    <${Section} title=${`Pushes per minute (last ${ACTIVITY_MINUTES} minutes)`}>
      ${
        data.activity
          ? html`<${Activity} activity=${data.activity} />`
          : data.activity === null
            ? html`<p class="muted">
                This server has no <code>GET /v1/ingestion/activity</code> yet: the chart appears
                once it does.
              </p>`
            : html`<p class="muted">Loading…</p>`
      }
    <//>
    <${Section} title="Duplicates and conflicts">
      ${
        stats
          ? html`<${Facts}
                items=${[
                  ['Live idempotency keys', `${stats.keys_live} (kept ${stats.key_ttl_days} days)`],
                  [
                    'Duplicates answered (this instance)',
                    stats.this_instance.duplicates_answered.total,
                  ],
                  [
                    'Conflicts answered (this instance)',
                    stats.this_instance.conflicts_answered.total,
                  ],
                  ['Conflicts recorded (all instances)', stats.conflicts_recorded],
                  ['Counting since', stats.this_instance.since],
                ]}
              />
              <${Table}
                label="Quarantine by reason"
                rows=${Object.entries(stats.quarantine_by_reason)}
                empty="Nothing quarantined."
                columns=${[
                  ['Reason', (/** @type {any} */ r) => r[0]],
                  ['Messages', (/** @type {any} */ r) => r[1]],
                ]}
              />`
          : null
      }
    <//>
    <${Section} title="Quarantine">
      <label class="field"
        >Reason
        <select
          value=${reason}
          onChange=${(/** @type {any} */ e) => setReason(e.currentTarget.value)}
        >
          <option value="">every reason</option>
          ${reasons.map((r) => html`<option value=${r}>${r}</option>`)}
        </select>
      </label>
      <${QuarantinePanel} key=${reason} reason=${reason} />
    <//>
    <${Section} title="Dead letters">
      <p>
        Shotclock does not see Pub/Sub's dead-letter topic: a message Pub/Sub gave up on never
        reached it (or was answered with an error it retried until the subscription's max delivery
        attempts). Look at the dead-letter subscription in the Cloud console; messages Shotclock
        itself refused are the quarantine above. See docs/ingestion.md and docs/pubsub.md in the
        repository.
      </p>
    <//>
  </div>`;
}

/** @param {{ activity: any }} props */
function Activity({ activity }) {
  const buckets = activity.buckets ?? [];
  const endpoints = [
    ...new Set(buckets.flatMap((/** @type {any} */ b) => Object.keys(b.accepted ?? {}))),
  ];
  const sum = (/** @type {Record<string, number> | undefined} */ m) =>
    Object.values(m ?? {}).reduce((a, n) => a + n, 0);
  const x = buckets.map((/** @type {any} */ b) => Date.parse(b.minute) / 1000);
  return html`<${Chart}
      label="Accepted pushes per endpoint, quarantined and replayed, per minute"
      x=${x}
      series=${[
        ...endpoints.map((e) => ({
          label: `accepted ${e}`,
          values: buckets.map((/** @type {any} */ b) => b.accepted?.[e] ?? 0),
        })),
        { label: 'quarantined', values: buckets.map((/** @type {any} */ b) => sum(b.quarantined)) },
        { label: 'replayed', values: buckets.map((/** @type {any} */ b) => b.replayed ?? 0) },
      ]}
    />
    <p class="muted">${totalsText(activity.totals)}</p>`;
}

/**
 * "Last 60 minutes: accepted 3 prediction-completions, 4 phase2-completions · quarantined 1
 * bad_base64 · replayed 0".
 * @param {{ accepted?: Record<string, number>, quarantined?: Record<string, number>, replayed?: number } | undefined} totals
 */
function totalsText(totals) {
  const counts = (/** @type {Record<string, number> | undefined} */ byName) =>
    Object.entries(byName ?? {})
      .map(([name, n]) => `${n} ${name}`)
      .join(', ') || 'none';
  return (
    `In the window: accepted ${counts(totals?.accepted)} · ` +
    `quarantined ${counts(totals?.quarantined)} · replayed ${totals?.replayed ?? 0}`
  );
}
