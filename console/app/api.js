// @ts-check
// Every call to the admin API goes through here: the stored token is sent, and a 401/403 asks the
// operator for a token once (all calls waiting meanwhile share the one request) and retries.

const TOKEN_KEY = 'shotclock.adminToken';

/** An answer other than 2xx: what was called, the status and the server's message. */
export class ApiError extends Error {
  /**
   * @param {string} what e.g. "GET /v1/phases/2026-01-22"
   * @param {number} status
   * @param {unknown} body
   */
  constructor(what, status, body) {
    super(`${what}: ${status} ${messageOf(body)}`);
    this.what = what;
    this.status = status;
    this.body = body;
  }
}

/** @param {unknown} body */
function messageOf(body) {
  if (body && typeof body === 'object' && 'message' in body) return String(body.message);
  return typeof body === 'string' ? body.slice(0, 200) : '';
}

/** @type {{ promise: Promise<void>, resolve: () => void } | null} */
let pendingToken = null;
/** @type {Set<(asking: { refused: boolean } | null) => void>} */
const tokenListeners = new Set();

/** Subscribes to "the page needs a token" (null when answered); returns the unsubscribe. */
export function onTokenRequest(/** @type {(asking: { refused: boolean } | null) => void} */ fn) {
  tokenListeners.add(fn);
  return () => tokenListeners.delete(fn);
}

function hasToken() {
  return sessionStorage.getItem(TOKEN_KEY) !== null;
}

function askForToken() {
  if (!pendingToken) {
    /** @type {() => void} */
    let resolve = () => {};
    const promise = new Promise((done) => (resolve = () => done(undefined)));
    pendingToken = { promise, resolve };
    const asking = { refused: hasToken() };
    tokenListeners.forEach((fn) => fn(asking));
  }
  return pendingToken.promise;
}

/** Stores the token for this browser tab's session and resumes the calls that waited for it. */
export function submitToken(/** @type {string} */ token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  const pending = pendingToken;
  pendingToken = null;
  tokenListeners.forEach((fn) => fn(null));
  pending?.resolve();
}

/**
 * Calls the API and answers the parsed JSON body (null for 204).
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the JSON answer, whose shape the caller knows from docs/api.md
 */
export async function api(method, path, body) {
  const what = `${method} ${path}`;
  for (;;) {
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401 || res.status === 403) {
      await askForToken();
      continue;
    }
    const text = await res.text();
    const parsed = text ? parseJson(text) : null;
    if (!res.ok) throw new ApiError(what, res.status, parsed);
    return parsed;
  }
}

/** @param {string} text */
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): keep the text for the error message.
    return text;
  }
}

export const get = (/** @type {string} */ path) => api('GET', path);
export const post = (/** @type {string} */ path, /** @type {unknown} */ body = {}) =>
  api('POST', path, body);
