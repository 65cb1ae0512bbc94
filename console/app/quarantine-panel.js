// @ts-check
import { useState } from 'preact/hooks';
import { get, post } from './api.js';
import { html } from './html.js';
import { timestamp } from './format.js';
import { PlayerPages } from './player-pages.js';
import { Outcome, outcomeOf } from './ui.js';

/**
 * Quarantined messages (paged, optionally of one reason), one message's detail, and its replay.
 * @param {{ reason: string }} props
 */
export function QuarantinePanel({ reason }) {
  const [detail, setDetail] = useState(/** @type {any} */ (null));
  const [outcome, setOutcome] = useState(
    /** @type {{ ok: boolean, text: string } | null} */ (null),
  );
  const open = async (/** @type {string} */ id) => {
    setOutcome(null);
    setDetail(await get(`/v1/quarantine/${encodeURIComponent(id)}`));
  };
  const replay = async () => {
    const id = detail.quarantine_id;
    setOutcome(
      await outcomeOf(async () => {
        const answer = await post(`/v1/quarantine/${encodeURIComponent(id)}/replay`);
        return `Replay of ${id}: ${answer.outcome}${answer.detail ? ` (${answer.detail})` : ''}`;
      }),
    );
    setDetail(await get(`/v1/quarantine/${encodeURIComponent(id)}`));
  };
  const path = reason ? `/v1/quarantine?reason=${encodeURIComponent(reason)}` : '/v1/quarantine';
  return html`<div>
    <${PlayerPages}
      label="Quarantined messages"
      path=${path}
      columns=${[
        ['Received', (/** @type {any} */ q) => timestamp(q.received_at)],
        ['Reason', (/** @type {any} */ q) => q.reason],
        ['Endpoint', (/** @type {any} */ q) => q.endpoint],
        [
          'Status',
          (/** @type {any} */ q) =>
            `${q.status}${q.replay_count ? ` (${q.replay_count} replays)` : ''}`,
        ],
        [
          '',
          (/** @type {any} */ q) =>
            html`<button type="button" onClick=${() => open(q.quarantine_id)}>
              Details of ${q.message_id ?? q.quarantine_id}
            </button>`,
        ],
      ]}
    />
    ${
      detail
        ? html`<div class="detail" aria-label="Quarantined message">
            <h3>${detail.quarantine_id}</h3>
            <p>${detail.reason}: ${detail.detail}</p>
            <button type="button" onClick=${replay}>Replay</button>
            <${Outcome} outcome=${outcome} label="Replay outcome" />
            <details>
              <summary>Stored message and replay history</summary>
              <pre>${JSON.stringify(detail, null, 2)}</pre>
            </details>
          </div>`
        : null
    }
  </div>`;
}
