/** Small JSON helpers over fetch for tests that talk to real service processes. */

const REQUEST_TIMEOUT_MS = 15_000;

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<JsonResponse<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new Error(`${method} ${url} got no answer: ${String(error)}`, { cause: error });
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${method} ${url} answered ${response.status} with non-JSON: ${text}`, {
        cause: error,
      });
    }
  }
  return { status: response.status, body: parsed as T };
}

/** GET expecting `expected` (default 200); the error names the URL, status and body. */
export async function getJson<T>(url: string, expected = 200): Promise<T> {
  const response = await call<T>('GET', url);
  if (response.status !== expected) {
    throw new Error(
      `GET ${url}: expected ${expected}, got ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

/** POST a JSON body expecting `expected`; the error names the URL, status and body. */
export async function postJson<T>(url: string, body: unknown, expected: number): Promise<T> {
  const response = await call<T>('POST', url, body);
  if (response.status !== expected) {
    throw new Error(
      `POST ${url}: expected ${expected}, got ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

/**
 * Polls `check` every `intervalMs` until it returns true; otherwise it returns what it saw, and
 * after `timeoutMs` the error names `what` and that last state.
 */
export async function waitUntil(
  check: () => Promise<true | string>,
  what: string,
  timeoutMs: number,
  intervalMs = 200,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    const state = await check();
    if (state === true) return;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
