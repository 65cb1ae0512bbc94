// @ts-check
// The status line's state: when the current view last updated and which of its calls failed.

/** @typedef {{ updatedAt: Date | null, errors: string[] }} ViewStatus */

/** @type {ViewStatus} */
let current = { updatedAt: null, errors: [] };
/** @type {Set<(status: ViewStatus) => void>} */
const listeners = new Set();

export function onStatus(/** @type {(status: ViewStatus) => void} */ fn) {
  listeners.add(fn);
  fn(current);
  return () => listeners.delete(fn);
}

/** @param {ViewStatus} status */
export function reportStatus(status) {
  current = status;
  listeners.forEach((fn) => fn(current));
}
