/**
 * The one rule for text Shotclock accepts anywhere (push data, envelope fields, admin bodies,
 * path and query parameters, and every append): only text that every store can hold exactly.
 * PostgreSQL's text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate
 * (`\ud800` without its pair), which SQLite and JSON.stringify would keep. Refusing both at the
 * boundary means a projection can never meet an event one store could not hold.
 */

/** U+0000, or a surrogate code unit that is not part of a well-formed pair. */
const UNSUPPORTED = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether one string holds a character no store can hold identically. */
export function isUnsupportedText(text: string): boolean {
  return UNSUPPORTED.test(text);
}

/**
 * The path (`data.players[3].name`, `(key) data.a`) of the first string or object key inside
 * `value` that holds unsupported text, or null when all of it can be stored. Walks arrays and
 * plain objects at any depth; other values (numbers, booleans, null) are fine.
 */
export function findUnsupportedText(value: unknown, path = '(value)'): string | null {
  if (typeof value === 'string') return isUnsupportedText(value) ? path : null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findUnsupportedText(value[index], `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    if (isUnsupportedText(key)) return `${path} (a key)`;
    const found = findUnsupportedText(inner, `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** What the answer and the error say about such text, naming where it was found. */
export function unsupportedTextProblem(where: string): string {
  return (
    `${where} holds U+0000 or an unpaired UTF-16 surrogate, which the stores cannot hold; ` +
    'remove or replace that character and send it again'
  );
}
