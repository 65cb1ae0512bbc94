/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

/**
 * Fixed paths pino's own (fast) redaction covers: credentials in the request/response headers of
 * the request log. Everything else is caught by {@link redactLogLine}.
 */
export const REDACTED_HEADER_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** Key names (case-, `-`- and `_`-insensitive) whose values never reach a log: exact or as suffix (`accessToken`). */
const SENSITIVE_KEY_SUFFIXES = [
  'token',
  'password',
  'secret',
  'apikey',
  'webhookurl',
  'authorization',
  'cookie',
];

/** Cheap pre-check on a serialised line: a sensitive key whose value is not already redacted. */
const UNREDACTED_SENSITIVE_KEY =
  /"[^"\\]*(?:token|password|secret|api[-_]*key|webhook[-_]*url|authorization|cookie)"\s*:\s*(?!"\[REDACTED\]")/i;

/**
 * Query parameter names that carry a credential besides the sensitive key names: API keys
 * (`key`), signed URLs (`sig`, `X-Goog-Signature`), OAuth codes, JWTs, sessions, credentials.
 */
const CREDENTIAL_PARAM =
  /^(?:key|sig|signature|code|auth|jwt|pass|passwd|pwd|session|sessionid|sid|credentials?)$|(?:signature|credentials?)$/;

/** A `name=value` query parameter after `?`, `&` or `;`, inside a URL in text or a JSON string. */
const QUERY_PARAM = /([?&;])([^=&?;\s"'#\\<>]{1,256})=([^&;\s"'#\\<>]*)/g;

/** A URL as it appears in a JSON string or free text (stops at whitespace, quotes and JSON escapes). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>\\]+/gi;
const WEBHOOK_PATH = /\/webhook|\/hooks\//i;

/** Whether `key` names a credential (token, password, secret, apiKey, webhookUrl, Authorization, Cookie...). */
export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/**
 * Whether `url` is an incoming-webhook URL, whose path is its credential: Slack
 * (`hooks.slack.com`), Google Chat (`chat.googleapis.com/...?...token=`), or any URL whose path
 * contains `/webhook` or `/hooks/`.
 */
export function isWebhookUrl(url: string): boolean {
  if (!URL.canParse(url)) return WEBHOOK_PATH.test(url);
  const { hostname, pathname, searchParams } = new URL(url);
  return (
    hostname === 'hooks.slack.com' ||
    WEBHOOK_PATH.test(pathname) ||
    (hostname === 'chat.googleapis.com' && searchParams.has('token'))
  );
}

/** Replaces every webhook URL inside `text` with `[REDACTED]`, keeping the rest of the text. */
export function redactWebhookUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (url) => (isWebhookUrl(url) ? REDACTED : url));
}

/** Whether a query parameter named `name` (as written, maybe percent-encoded) carries a credential. */
export function isCredentialParam(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // Not valid percent-encoding: judge the name as written.
  }
  const normalized = decoded.toLowerCase().replace(/[-_.]/g, '');
  return isSensitiveKey(normalized) || CREDENTIAL_PARAM.test(normalized);
}

/**
 * Replaces the values of credential-looking query parameters (`?access_token=`, `&key=`,
 * `&X-Goog-Signature=`, ...) in every URL inside `text` with `[REDACTED]`: a request line's `url`,
 * a URL quoted in an error message, anywhere.
 */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('=')) return text;
  return text.replace(QUERY_PARAM, (match, separator: string, name: string, value: string) =>
    value !== '' && value !== REDACTED && isCredentialParam(name)
      ? `${separator}${name}=${REDACTED}`
      : match,
  );
}

/** A deep copy of a parsed JSON value with the values of sensitive keys replaced, at any depth. */
export function redactSensitiveKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSensitiveKeys);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = isSensitiveKey(key) ? REDACTED : redactSensitiveKeys(inner);
  }
  return copy;
}

/**
 * pino `hooks.streamWrite`: scrubs one serialised line (message, bindings, serialised errors and
 * requests alike) before it is written. Webhook URLs are cut out of any string, credential query
 * parameters out of any URL; values under sensitive keys are replaced. Lines without either pass through untouched (no parse).
 */
export function redactLogLine(line: string): string {
  const scrubbed = redactUrlCredentials(redactWebhookUrls(line));
  if (!UNREDACTED_SENSITIVE_KEY.test(scrubbed)) return scrubbed;
  const newline = scrubbed.endsWith('\n') ? '\n' : '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(scrubbed);
  } catch (error) {
    // Never write a line we could not check; say so instead (a formatter producing non-JSON is a bug).
    return (
      JSON.stringify({
        severity: 'ERROR',
        message: `log line withheld: not JSON, so not redactable (${String(error)})`,
      }) + newline
    );
  }
  return JSON.stringify(redactSensitiveKeys(parsed)) + newline;
}
