// Formats a page the way `prettier --check .` expects, so a generated page passes lint as written.
import * as prettier from 'prettier';

export async function formatMarkdown(text, pagePath) {
  const options = (await prettier.resolveConfig(pagePath)) ?? {};
  return prettier.format(text, { ...options, filepath: pagePath });
}
