// One generated page: its hand-written text with its generated blocks filled in, formatted.
import { readFileSync } from 'node:fs';
import { replaceBlock } from './generated-blocks.mjs';
import { formatMarkdown } from './markdown.formatter.mjs';

/** The page at `pagePath` (relative to the repository root) as the docs scripts would write it. */
export async function renderPage(pagePath, blocks, command) {
  let page = readFileSync(pagePath, 'utf8');
  for (const [name, content] of Object.entries(blocks)) {
    page = replaceBlock(page, name, content, { pagePath, command });
  }
  return formatMarkdown(page, pagePath);
}
