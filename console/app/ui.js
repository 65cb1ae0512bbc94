// @ts-check
import { html } from './html.js';
import { DASH } from './format.js';

/** A titled region of a view. */
export function Section(/** @type {{ title: string, children?: any, actions?: any }} */ props) {
  const id = `section-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return html`<section class="card" aria-labelledby=${id}>
    <header class="card-head">
      <h2 id=${id}>${props.title}</h2>
      ${props.actions}
    </header>
    ${props.children}
  </section>`;
}

/**
 * A table from rows: columns are [header, cell(row)] pairs. Wide tables scroll inside a focusable
 * region so the page itself never scrolls sideways on a phone.
 * @param {{ label: string, columns: Array<[string, (row: any) => any]>, rows: any[], empty?: string }} props
 */
export function Table(props) {
  if (props.rows.length === 0) return html`<p class="muted">${props.empty ?? 'Nothing yet.'}</p>`;
  return html`<div class="scroll" role="region" aria-label=${props.label} tabindex="0">
    <table>
      <caption class="sr-only">
        ${props.label}
      </caption>
      <thead>
        <tr>
          ${props.columns.map(([name]) => html`<th scope="col">${name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${props.rows.map(
          (row) =>
            html`<tr>
              ${props.columns.map(([, cell]) => html`<td>${cell(row) ?? DASH}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Term/value pairs. */
export function Facts(/** @type {{ items: Array<[string, any]> }} */ props) {
  return html`<dl class="facts">
    ${props.items.map(
      ([term, value]) =>
        html`<div>
          <dt>${term}</dt>
          <dd>${value ?? DASH}</dd>
        </div>`,
    )}
  </dl>`;
}

/** The outcome of an action the operator took, announced to screen readers. */
export function Outcome(
  /** @type {{ outcome: { ok: boolean, text: string } | null, label?: string }} */ props,
) {
  if (!props.outcome) return null;
  return html`<p
    class=${props.outcome.ok ? 'outcome ok' : 'outcome bad'}
    role="status"
    aria-label=${props.label ?? 'Outcome'}
  >
    ${props.outcome.text}
  </p>`;
}

/** Runs an action and turns its answer or error into an Outcome. */
export async function outcomeOf(/** @type {() => Promise<string>} */ action) {
  try {
    return { ok: true, text: await action() };
  } catch (error) {
    return { ok: false, text: error instanceof Error ? error.message : String(error) };
  }
}
