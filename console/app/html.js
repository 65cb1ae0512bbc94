// @ts-check
import { h } from 'preact';
import htm from 'htm';

/** Tagged-template JSX without a build step: html`<p>${text}</p>`. */
export const html = htm.bind(h);
