// Writes the generated blocks of docs/configuration.md and docs/api.md from the code:
//   npm run docs            both pages
//   npm run docs:config     docs/configuration.md (namespaces, flags, timeouts)
//   npm run docs:api        docs/api.md (the real app's /openapi.json and route decorators)
//   ... -- --check          write nothing; exit 1 naming each page that is out of date
// It builds dist/ first when it is stale (scripts/build-if-needed.mjs) and reads the code from
// there; test/static/docs-reference.int.spec.ts renders the same pages from src/ and compares.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderApiReference, routeMetadata } from './api-reference.renderer.mjs';
import { collectConfiguration, renderConfiguration } from './config-reference.renderer.mjs';
import { renderPage } from './docs-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);
const dist = (path) => import(join(root, 'dist', path));

const PAGES = {
  config: {
    path: 'docs/configuration.md',
    command: 'npm run docs:config',
    blocks: async () => {
      const config = await dist('common/config/index.js');
      const { readEnvFile } = await dist('common/config/env-file.js');
      const input = await collectConfiguration({
        config,
        readEnvFile,
        loadNamespace: (name) => dist(`common/config/namespaces/${name}.config.js`),
      });
      return renderConfiguration(input);
    },
  },
  api: {
    path: 'docs/api.md',
    command: 'npm run docs:api',
    blocks: async () => ({ 'api:routes': await apiReference() }),
  },
};

/** Starts the real application on a throwaway SQLite file, reads /openapi.json, stops it. */
async function apiReference() {
  const { createApp } = await dist('bootstrap.js');
  const { loadConfig } = await dist('common/config/index.js');
  const { ROUTE_ACCESS } = await dist('common/http/route-access.decorator.js');
  const { QUERY_PARAMS } = await dist('common/http/query-params.decorator.js');
  const { DiscoveryService } = await import('@nestjs/core');
  const dir = mkdtempSync(join(tmpdir(), 'shotclock-docs-'));
  try {
    const config = loadConfig({ SQLITE_PATH: join(dir, 'docs.sqlite'), LOG_LEVEL: 'error' });
    const app = await createApp(config);
    try {
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address();
      const answer = await fetch(`http://127.0.0.1:${port}/openapi.json`);
      if (!answer.ok) throw new Error(`GET /openapi.json answered ${answer.status}`);
      const document = await answer.json();
      const controllers = app
        .get(DiscoveryService)
        .getControllers()
        .map((wrapper) => wrapper.metatype);
      const metadata = routeMetadata(controllers, {
        routeAccess: ROUTE_ACCESS,
        queryParams: QUERY_PARAMS,
      });
      return renderApiReference(document, metadata);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(args) {
  const check = args.includes('--check');
  const names = args.filter((arg) => arg !== '--check');
  const unknown = names.filter((name) => !(name in PAGES));
  if (unknown.length > 0) {
    console.error(
      `unknown page(s) ${unknown.join(', ')}; usage: generate-docs.mjs [config] [api] [--check]`,
    );
    return 2;
  }
  try {
    execFileSync(process.execPath, ['scripts/build-if-needed.mjs'], { stdio: 'inherit' });
  } catch (error) {
    console.error(`could not build dist/ (${error.message}); fix the errors above and run again`);
    return 1;
  }
  let stale = 0;
  for (const name of names.length > 0 ? names : Object.keys(PAGES)) {
    const page = PAGES[name];
    const text = await renderPage(page.path, await page.blocks(), page.command);
    if (text === readFileSync(page.path, 'utf8')) {
      console.log(`${page.path}: up to date`);
    } else if (check) {
      console.error(`${page.path}: out of date; run ${page.command}`);
      stale += 1;
    } else {
      writeFileSync(page.path, text);
      console.log(`${page.path}: written`);
    }
  }
  return stale > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
