// @ts-check
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { addDays, DASH, duration, localDate, timestamp } from './format.js';
import { useNow, usePoll } from './poll.js';
import { TriggerForm } from './trigger-form.js';
import { Facts, Section, Table } from './ui.js';

/** Today (or a picked game date): did phase 2 finish, what is missing, when does phase 3 fire. */
export function TodayView() {
  const [gameDate, setGameDate] = useState(localDate());
  const today = localDate();
  const { data, reload, loaded } = usePoll(
    () => ({
      phase: { path: `/v1/phases/${gameDate}`, optional: true },
      recent: `/v1/phases?from=${addDays(today, -13)}&to=${today}`,
    }),
    [gameDate, today],
  );
  const phase = data.phase;
  return html`<div class="view">
    <${Section} title="Game date">
      <label class="field"
        >Game date
        <input
          id="game-date"
          type="date"
          value=${gameDate}
          required
          onChange=${(/** @type {any} */ e) => e.currentTarget.value && setGameDate(e.currentTarget.value)}
        />
      </label>
      <${RecentDates} items=${data.recent?.items ?? []} current=${gameDate} pick=${setGameDate} />
    <//>
    ${
      !loaded
        ? html`<p class="muted">Loading…</p>`
        : phase
          ? html`<${PhasePanel} phase=${phase} reload=${reload} />`
          : html`<p class="muted">No phase-2 activity for ${gameDate} yet.</p>`
    }
  </div>`;
}

/** @param {{ items: any[], current: string, pick: (day: string) => void }} props */
function RecentDates(props) {
  if (props.items.length === 0) return html`<p class="muted">No activity in the last 14 days.</p>`;
  return html`<nav aria-label="Recent game dates">
    <ul class="chips">
      ${props.items.map(
        (item) =>
          html`<li>
            <button
              type="button"
              class="chip"
              aria-current=${item.game_date === props.current ? 'date' : undefined}
              onClick=${() => props.pick(item.game_date)}
            >
              ${item.game_date} · ${item.status}
            </button>
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** @param {{ phase: any, reload: () => Promise<void> }} props */
function PhasePanel({ phase, reload }) {
  const processors = Object.keys(phase.processors ?? {});
  const rows = [
    ...phase.required_processors.map((/** @type {string} */ name) => ({ name, kind: 'required' })),
    ...(phase.tracked_processors ?? []).map((/** @type {string} */ name) => ({
      name,
      kind: 'tracked',
    })),
    ...phase.unexpected_processors.map((/** @type {string} */ name) => ({
      name,
      kind: 'unexpected',
    })),
  ];
  const state = (/** @type {string} */ name) =>
    phase.late_processors.includes(name)
      ? 'late'
      : phase.unexpected_processors.includes(name)
        ? 'unexpected'
        : phase.completed_processors.includes(name) || phase.processors?.[name]?.done
          ? 'done'
          : phase.missing_processors.includes(name)
            ? 'missing'
            : 'not reported';
  const triggered = phase.status === 'triggered';
  return html` <${Section} title=${`Phase 2 of ${phase.game_date}`}>
      <${Facts}
        items=${[
          ['Status', html`<strong data-testid="phase-status">${phase.status}</strong>`],
          ['Deadline', html`<${Countdown} deadline=${phase.deadline_at} triggered=${triggered} />`],
          [
            'Done',
            `${phase.completed_processors.length} of ${phase.required_processors.length} required`,
          ],
          ['Missing', phase.missing_processors.join(', ') || DASH],
          ['Late', phase.late_processors.join(', ') || DASH],
          ['Unexpected', phase.unexpected_processors.join(', ') || DASH],
        ]}
      />
    <//>
    <${Section} title="Processors">
      <${Table}
        label="Processors of this game date"
        rows=${rows}
        columns=${[
          ['Processor', (/** @type {any} */ r) => r.name],
          ['Kind', (/** @type {any} */ r) => r.kind],
          [
            'State',
            (/** @type {any} */ r) =>
              html`<span class=${`tag ${state(r.name).replace(' ', '-')}`}>${state(r.name)}</span>`,
          ],
          ['Reports', (/** @type {any} */ r) => phase.processors?.[r.name]?.reports ?? 0],
          [
            'Last report',
            (/** @type {any} */ r) => timestamp(phase.processors?.[r.name]?.last_received_at),
          ],
        ]}
      />
      ${processors.length === 0 ? html`<p class="muted">No processor has reported.</p>` : null}
    <//>
    <${Section} title="Phase 3 trigger">
      <${Facts}
        items=${[
          [
            'Trigger reason',
            html`<strong data-testid="trigger-reason">${phase.trigger_reason ?? DASH}</strong>`,
          ],
          ['Manual reason', phase.manual_reason ?? DASH],
          ['Message id', phase.trigger_message_id ?? DASH],
          ['Triggered at', timestamp(phase.triggered_at)],
        ]}
      />
      <${TriggerForm} gameDate=${phase.game_date} triggered=${triggered} done=${reload} />
    <//>`;
}

/** @param {{ deadline: string | null, triggered: boolean }} props */
function Countdown({ deadline, triggered }) {
  const now = useNow();
  if (!deadline) return html`<span>none</span>`;
  const seconds = (Date.parse(deadline) - now) / 1000;
  const text = triggered
    ? `${timestamp(deadline)} (triggered)`
    : seconds >= 0
      ? `in ${duration(seconds)} (${timestamp(deadline)})`
      : `passed ${duration(-seconds)} ago (${timestamp(deadline)})`;
  return html`<span role="timer" aria-live="off" data-testid="countdown">${text}</span>`;
}
