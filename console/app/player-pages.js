// @ts-check
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';
import { html } from './html.js';
import { Table } from './ui.js';

const PAGE_LIMIT = 50;

/**
 * A cursor-paged list (`{items, next}`), read when opened and on "Next page"; not polled (an
 * operator reading page 3 should not have it move under them).
 * @param {{ label: string, path: string, columns: Array<[string, (row: any) => any]> }} props
 */
export function PlayerPages({ label, path, columns }) {
  const [cursors, setCursors] = useState(/** @type {Array<string | null>} */ ([null]));
  const [page, setPage] = useState(
    /** @type {{ items: any[], next: string | null } | null} */ (null),
  );
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const cursor = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    const query = `limit=${PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    get(`${path}${path.includes('?') ? '&' : '?'}${query}`).then(
      (answer) => {
        setPage(answer);
        setError(null);
      },
      (failure) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, [path, cursor]);

  return html`<div class="pages">
    ${error ? html`<p class="outcome bad" role="alert">${error}</p>` : null}
    ${page ? html`<${Table} label=${label} rows=${page.items} columns=${columns} empty="None." />` : html`<p class="muted">Loading…</p>`}
    <div class="row">
      <span class="muted">Page ${cursors.length}</span>
      <button
        type="button"
        disabled=${cursors.length === 1}
        onClick=${() => setCursors(cursors.slice(0, -1))}
      >
        Previous page
      </button>
      <button
        type="button"
        disabled=${!page?.next}
        onClick=${() => page?.next && setCursors([...cursors, page.next])}
      >
        Next page
      </button>
    </div>
  </div>`;
}
