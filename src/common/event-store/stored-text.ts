/**
 * The one rule for text Shotclock accepts anywhere (push data, envelope fields, admin bodies,
 * path and query parameters, and every append): only text that every store can hold exactly.
 * PostgreSQL's text and jsonb cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate
 * (`\ud800` without its pair), which SQLite and JSON.stringify would keep. Refusing both at the
 * boundary means a projection can never meet an event one store could not hold.
 */

/** U+0000, or a surrogate code unit that is not part of a well-formed pair. */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this rule looks for.
const UNSUPPORTED = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether one string holds a character no store can hold identically. */
export function isUnsupportedText(text: string): boolean {
  return UNSUPPORTED.test(text);
}

/** One step from a container to what it holds: an array index, an object key, or the key itself. */
type Step = number | string | { key: string };

/**
 * The path (`data.players[3].name`, `data.a (a key)`) of the first string or object key inside
 * `value` that holds unsupported text, or null when all of it can be stored. Walks arrays and
 * plain objects at any depth; other values (numbers, booleans, null) are fine. The path is only
 * built when something is found, so a clean million-item list costs one test per string.
 */
export function findUnsupportedText(value: unknown, path = '(value)'): string | null {
  const steps: Step[] = [];
  return walk(value, steps) ? format(path, steps) : null;
}

function walk(value: unknown, steps: Step[]): boolean {
  if (typeof value === 'string') return isUnsupportedText(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === null || (typeof item !== 'object' && typeof item !== 'string')) continue;
      if (walk(item, steps)) {
        steps.unshift(index);
        return true;
      }
    }
    return false;
  }
  for (const key of Object.keys(value)) {
    if (isUnsupportedText(key)) {
      steps.unshift({ key });
      return true;
    }
    if (walk((value as Record<string, unknown>)[key], steps)) {
      steps.unshift(key);
      return true;
    }
  }
  return false;
}

function format(root: string, steps: readonly Step[]): string {
  let path = root;
  for (const step of steps) {
    if (typeof step === 'number') path += `[${step}]`;
    else if (typeof step === 'string') path += `.${step}`;
    else return `${path} (a key)`;
  }
  return path;
}

/** What the answer and the error say about such text, naming where it was found. */
export function unsupportedTextProblem(where: string): string {
  return (
    `${where} holds U+0000 or an unpaired UTF-16 surrogate, which the stores cannot hold; ` +
    'remove or replace that character and send it again'
  );
}
