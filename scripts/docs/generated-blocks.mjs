// Named generated blocks inside a hand-written markdown page:
//   <!-- generated:start NAME (npm run docs) -->
//   ...content the docs scripts write...
//   <!-- generated:end NAME -->
// Everything outside the blocks is prose the scripts never touch.

const START = /<!-- generated:start ([\w:-]+)[^>]*-->\n/g;

/** The names of the blocks in `page`, in order. */
export function blockNames(page) {
  return [...page.matchAll(START)].map((match) => match[1]);
}

/** Replaces the content of block `name`; throws when the page has no such block. */
export function replaceBlock(page, name, content, { pagePath, command }) {
  const start = `<!-- generated:start ${name} (${command}) -->\n`;
  const end = `<!-- generated:end ${name} -->`;
  const startPattern = new RegExp(`<!-- generated:start ${escapeRegExp(name)}[ (][^>]*-->\\n`);
  const found = startPattern.exec(page);
  const endAt = found ? page.indexOf(end, found.index) : -1;
  if (!found || endAt < 0) {
    throw new Error(
      `${pagePath} has no generated block "${name}": add the two lines "${start.trim()}" and "${end}" where it belongs, then run ${command} again`,
    );
  }
  return `${page.slice(0, found.index)}${start}\n${content.trim()}\n\n${page.slice(endAt)}`;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
