import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { rawRequest } from '../support/raw-http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TOKEN = 'console-files-token-0123456789';

/** The console's static files over HTTP: what is served, with which headers, and nothing else. */
describe('GET /console and its files (real app)', () => {
  let test: TestApp;
  let port: number;
  beforeAll(async () => {
    // 404s are the point of several cases here.
    test = await startTestApp({ ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'error' });
    await test.app.listen(0, '127.0.0.1');
    port = (test.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => test.close());
  const get = (path: string) => rawRequest({ host: '127.0.0.1', port, method: 'GET', path });

  it('serves the page without a token, with a strict policy that allows only its import map', async () => {
    const res = await get('/console');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(res.body)![1]!;
    const hash = createHash('sha256').update(importMap).digest('base64');
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self' 'sha256-${hash}'; style-src 'self'; ` +
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'",
    );
    expect(res.body.match(/<script\b[^>]*>[^<]/g)).toHaveLength(1);
  });

  it('serves the console modules, styles and allowlisted vendor files with their types', async () => {
    const cases: Array<[string, string, string]> = [
      ['/console/app/main.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['/console/styles.css', 'text/css; charset=utf-8', 'no-cache'],
      ['/console/vendor/preact.mjs', 'text/javascript; charset=utf-8', 'public, max-age=3600'],
      [
        '/console/vendor/preact-hooks.mjs',
        'text/javascript; charset=utf-8',
        'public, max-age=3600',
      ],
      ['/console/vendor/htm.mjs', 'text/javascript; charset=utf-8', 'public, max-age=3600'],
      ['/console/vendor/uplot.mjs', 'text/javascript; charset=utf-8', 'public, max-age=3600'],
      ['/console/vendor/uplot.css', 'text/css; charset=utf-8', 'public, max-age=3600'],
    ];
    for (const [path, type, cache] of cases) {
      const res = await get(path);
      expect(
        `${path} ${res.status} ${String(res.headers['content-type'])} ${String(res.headers['cache-control'])}`,
      ).toBe(`${path} 200 ${type} ${cache}`);
    }
    const preact = await get('/console/vendor/preact.mjs');
    expect(preact.body).toBe(readFileSync('node_modules/preact/dist/preact.mjs', 'utf8'));
  });

  it('answers 404 to anything outside console/ and the allowlist, however it is spelled', async () => {
    const outside = [
      '/console/',
      '/console/index.html/',
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/app/..%2F..%2Fpackage.json',
      '/console/app/%2e%2e%2f%2e%2e%2fpackage.json',
      '/console/vendor/..%2Fpreact%2Fpackage.json',
      '/console/vendor/preact.mjs.map',
      '/console/vendor/hooks.mjs',
      '/console/node_modules/preact/package.json',
      '/console/app/..%5C..%5Cpackage.json',
      '/console/app/main.js%00.css',
      '/console/app/../../src/main.ts',
      '/console/README.md',
      '/Console',
    ];
    const served = [];
    for (const path of outside) {
      const res = await get(path);
      if (res.status !== 404 && res.status !== 400) served.push(`${path} -> ${res.status}`);
      expect(res.body).not.toContain('"name": "shotclock"');
    }
    expect(served).toEqual([]);
  });

  it('leaves the console out of the OpenAPI document', async () => {
    const res = await get('/openapi.json');
    const paths = Object.keys((JSON.parse(res.body) as { paths: Record<string, unknown> }).paths);
    expect(paths.some((path) => path.startsWith('/console'))).toBe(false);
    expect(paths).toContain('/v1/phases/{gameDate}');
  });
});
