import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/** One file the console serves: its bytes and the headers that go with them. */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page and its own modules change with the service: always revalidated. */
const OWN_CACHE = 'no-cache';
/** Vendor files change only with package.json; an hour bounds a stale copy after an upgrade. */
const VENDOR_CACHE = 'public, max-age=3600';

/**
 * The third-party files the page loads, by the name it asks for (`/console/vendor/<name>`) and
 * where npm put them. Nothing else of node_modules is reachable.
 */
export const VENDOR_FILES: Readonly<Record<string, string>> = {
  'preact.mjs': 'preact/dist/preact.mjs',
  'preact-hooks.mjs': 'preact/hooks/dist/hooks.mjs',
  'htm.mjs': 'htm/dist/htm.mjs',
  'uplot.mjs': 'uplot/dist/uPlot.esm.js',
  'uplot.css': 'uplot/dist/uPlot.min.css',
};

/** Every servable file, keyed by its URL path below /console; built once at boot. */
export interface ConsoleCatalog {
  readonly files: ReadonlyMap<string, ConsoleFile>;
  /** The page's Content-Security-Policy (with the hash of its inline import map). */
  readonly contentSecurityPolicy: string;
}

/**
 * Reads `console/` (its top level and `app/`) and the vendor allowlist into memory. A request is
 * answered by an exact lookup in this map, so no request path is ever joined to a file path.
 */
export function loadConsoleCatalog(root: string): ConsoleCatalog {
  const files = new Map<string, ConsoleFile>();
  const consoleDir = join(root, 'console');
  for (const folder of ['', 'app']) {
    const dir = join(consoleDir, folder);
    for (const name of readdirSync(dir)) {
      const contentType = CONTENT_TYPES[extname(name)];
      if (!contentType) continue;
      const key = folder ? `${folder}/${name}` : name;
      files.set(key, { body: readFileSync(join(dir, name)), contentType, cacheControl: OWN_CACHE });
    }
  }
  for (const [name, packagePath] of Object.entries(VENDOR_FILES)) {
    const contentType = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
    const body = readFileSync(join(root, 'node_modules', packagePath));
    files.set(`vendor/${name}`, { body, contentType, cacheControl: VENDOR_CACHE });
  }
  const page = files.get('index.html');
  if (!page)
    throw new Error(`the console has no page: ${join(consoleDir, 'index.html')} is missing`);
  return { files, contentSecurityPolicy: contentSecurityPolicy(page.body.toString('utf8')) };
}

/** The directory above `startDir` holding both package.json and console/ (src/, dist/ or .build/). */
export function findConsoleRoot(startDir: string): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'console', 'index.html')))
      return dir;
    if (dirname(dir) === dir)
      throw new Error(`no console/index.html beside a package.json above ${startDir}`);
  }
}

const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/;

/**
 * Only same-origin scripts run, plus the page's one inline script, its import map, allowed by
 * hash (import maps cannot be external files). Styles are same-origin files only.
 */
export function contentSecurityPolicy(html: string): string {
  const importMap = IMPORT_MAP.exec(html)?.[1];
  if (importMap === undefined) throw new Error('console/index.html has no import map');
  const hash = createHash('sha256').update(importMap, 'utf8').digest('base64');
  return [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
