import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * The README is the five-minute entry and docs/ the reference: the README's commands must run,
 * and every link, anchor, command and repository path the pages name must resolve.
 */
const PAGES = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const scripts = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts,
);

/** The page without fenced code blocks (their `#` lines are not headings, their text not links). */
function prose(page: string): string {
  return readFileSync(page, 'utf8').replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to `-`, repeats numbered. */
function anchors(page: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading = ''] of prose(page).matchAll(/^#{1,6} (.+)$/gm)) {
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** `[text](target)` links outside code. */
function links(page: string): string[] {
  const text = prose(page).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target = '']) => target);
}

describe('README.md', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('stays a five-minute read: under 250 lines and 25 KB', () => {
    expect(readme.split('\n').length).toBeLessThan(250);
    expect(Buffer.byteLength(readme)).toBeLessThan(25 * 1024);
  });

  it('has the two quick-start commands: install and serve, install and test', () => {
    const quickStart = readme.slice(
      readme.indexOf('## Quick start'),
      readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
    );
    expect(quickStart).toMatch(/^npm install && npm start\b/m);
    expect(quickStart).toMatch(/^npm install && npm test\b/m);
    expect(scripts).toEqual(expect.arrayContaining(['start', 'test']));
  });

  it('links every page of docs/', () => {
    const linked = new Set(links('README.md').map((target) => target.split('#')[0]));
    expect(PAGES.filter((page) => page !== 'README.md' && !linked.has(page))).toEqual([]);
  });
});

describe.each(PAGES)('%s', (page) => {
  it('links only to files and headings that exist', () => {
    const broken = links(page)
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => {
        const [file, anchor] = target.split('#');
        const path = file ? normalize(join(dirname(page), file)) : page;
        if (!existsSync(path)) return true;
        return anchor !== undefined && path.endsWith('.md') && !anchors(path).has(anchor);
      });
    expect(broken).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const named = [...readFileSync(page, 'utf8').matchAll(/\bnpm run ([\w:-]+)/g)].map(
      ([, name = '']) => name,
    );
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const paths = [
      ...prose(page).matchAll(/`((?:src|test|config|scripts|bench|simulate|docs)\/[^`\s<>*{}]*)`/g),
    ]
      .map(([, path = '']) => path)
      .filter((path) => !path.includes('...'));
    expect(paths.filter((path) => !existsSync(path))).toEqual([]);
  });
});
