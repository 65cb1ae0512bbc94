// Types of docs-page.mjs, for the TypeScript spec that renders the pages from src/.

export function renderPage(
  pagePath: string,
  blocks: Readonly<Record<string, string>>,
  command: string,
): Promise<string>;
