// @ts-check
import { useState } from 'preact/hooks';
import { submitToken } from './api.js';
import { html } from './html.js';

/**
 * Asks for the admin token once the API refused a call. The token goes to sessionStorage (this
 * tab only, gone when it closes) and is never shown again.
 * @param {{ refused: boolean }} props
 */
export function TokenForm({ refused }) {
  const [token, setToken] = useState('');
  return html`<div class="overlay">
    <form
      class="card token-form"
      aria-labelledby="token-title"
      onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        if (token.trim()) submitToken(token.trim());
      }}
    >
      <h2 id="token-title">Admin token needed</h2>
      <p>
        ${refused ? 'The API refused the stored token.' : 'The API asks for a token.'} Enter the
        service's <code>ADMIN_TOKEN</code>; it is kept for this browser tab only.
      </p>
      <label class="field" for="admin-token">Admin token</label>
      <input
        id="admin-token"
        type="password"
        autocomplete="off"
        required
        value=${token}
        onInput=${(/** @type {any} */ e) => setToken(e.currentTarget.value)}
      />
      <button type="submit">Use token</button>
    </form>
  </div>`;
}
