// Turns a one-line description from the code into markdown: variable names and `<placeholders>`
// become code spans (a bare `<id>` would be read as an HTML tag); existing code spans stay.

/**
 * @param {string} text
 * @param {ReadonlySet<string>} variableNames names to set in code, with a following `=value`
 * @param {ReadonlyMap<string, string>} [renames] words to replace first (e.g. a property by its variable)
 */
export function inlineText(text, variableNames, renames = new Map()) {
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : plainPart(part, variableNames, renames)))
    .join('');
}

/** Stands for a space inside a placeholder while the text is split into words. */
const HELD_SPACE = '\u0001';

function plainPart(text, variableNames, renames) {
  // A placeholder with spaces (`<message id>`) is one word.
  const joined = text.replace(/<[^<>\n]*>/g, (placeholder) =>
    placeholder.replace(/ /g, HELD_SPACE),
  );
  return joined
    .split(/(\s+)/)
    .map((word) => {
      const [, lead, core, trail] = /^([("]*)(.*?)([),.;:"]*)$/.exec(word);
      const name = renames.get(core) ?? core;
      const variable = /^([A-Z][A-Z0-9_]*)(=[\w%.-]+)?$/.exec(name);
      const codeLike =
        (variable && variableNames.has(variable[1])) || /<\w[^>]*>/.test(name) || name !== core;
      return codeLike ? `${lead}\`${name}\`${trail}` : word.replace(/</g, '\\<');
    })
    .join('')
    .replaceAll(HELD_SPACE, ' ');
}
