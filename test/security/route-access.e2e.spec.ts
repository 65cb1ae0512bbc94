import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IRoute } from 'express';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Authorization holds for every route the application registers (read from Express's router, not
 * a hand list) and for every spelling of its path. The only hand list is of the routes that are
 * meant to be open: anything registered later is an admin route unless it is added here.
 */
const OPEN_ROUTES = new Set([
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  // The operator console's static files (its API calls are admin routes).
  'GET /console',
  'GET /console/:file',
  'GET /console/app/:file',
  'GET /console/vendor/:file',
]);
/** The OpenAPI document and explorer (registered by @nestjs/swagger, outside Nest's guards). */
const DOCS = /^GET \/(openapi\.json|docs)/;

const TOKEN = 'route-access-token-0123456789';
const SAMPLE_PARAMS: Record<string, string> = {
  gameDate: '2026-01-22',
  id: 'b-1',
  name: 'stream-summaries',
  query: 'success_rate_7d',
};

interface Route {
  method: string;
  path: string;
}

/** Express's `IRoute` type leaves out the `methods` map each route has at runtime. */
type RouteWithMethods = IRoute & { methods: Record<string, boolean> };

/** Nest mounts its middleware (request log, log context, metrics) as all-path routes. */
const MIDDLEWARE_MOUNT = '{/*splat}';

/** Every method + path Express will dispatch to a handler. */
function registeredRoutes(app: NestExpressApplication): Route[] {
  const express = app.getHttpAdapter().getInstance();
  const routes = express.router.stack.flatMap((layer) => {
    const route = layer.route as RouteWithMethods | undefined;
    return route
      ? Object.keys(route.methods)
          .filter((method) => method !== '_all')
          .map((method) => ({ method: method.toUpperCase(), path: route.path }))
      : [];
  });
  // A wildcard is only ever a middleware mount; a handler behind a wildcard must fail this test.
  const wildcards = routes.filter((route) => /[*{]/.test(route.path));
  expect(wildcards.every((route) => route.path === MIDDLEWARE_MOUNT)).toBe(true);
  return routes.filter((route) => route.path !== MIDDLEWARE_MOUNT);
}

function concrete(path: string): string {
  return path.replace(/:(\w+)/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x');
}

/** Other spellings of the same path that a lenient router or a path-based guard would accept. */
function spellings(path: string): string[] {
  const segments = path.split('/').slice(1);
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const rest = segments.slice(1).join('/');
  const encodeFirstChar = (segment: string) =>
    `%${segment.charCodeAt(0).toString(16).toUpperCase()}${segment.slice(1)}`;
  return [
    path.toUpperCase(),
    `/${first.toUpperCase()}/${rest}`,
    `/${first[0]!.toUpperCase()}${first.slice(1)}/${rest}`,
    `${path}/`,
    `/${path}`,
    path.replace(`/${first}/`, `/${first}//`),
    `/${encodeFirstChar(first)}/${rest}`,
    path.replace(new RegExp(`/${last}$`), `/${encodeFirstChar(last)}`),
    `/${first};a=b/${rest}`,
    `${path};x=1`,
    path.replace(`/${first}/`, `/${first}/./`),
    `/x/..${path}`,
  ].filter((spelling) => spelling !== path);
}

async function listen(app: NestExpressApplication): Promise<number> {
  await app.listen(0, '0.0.0.0');
  return (app.getHttpServer().address() as AddressInfo).port;
}

function describeAnswer(route: Route, path: string, res: RawResponse): string {
  return `${route.method} ${path} -> ${res.status} ${res.body.slice(0, 120)}`;
}

describe('route access: every registered route, every spelling', () => {
  describe('with ADMIN_TOKEN and PUSH_AUTH=oidc', () => {
    let test: TestApp;
    let port: number;
    let routes: Route[];

    beforeAll(async () => {
      test = await startTestApp({
        ADMIN_TOKEN: TOKEN,
        PUSH_AUTH: 'oidc',
        PUSH_AUTH_AUDIENCE: 'https://shotclock.example/push',
        PUSH_AUTH_SERVICE_ACCOUNTS: 'pubsub-push@nba-props-platform.iam.gserviceaccount.com',
        // Never reached: a request without a token is refused before any certificate fetch.
        PUSH_AUTH_CERTS_URL: 'http://127.0.0.1:9/certs',
      });
      port = await listen(test.app);
      routes = registeredRoutes(test.app);
    });
    afterAll(() => test.close());

    it('reads the routes from the router (admin, push and open ones)', () => {
      const names = routes.map((route) => `${route.method} ${route.path}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'GET /v1/flags',
          'POST /v1/phases/:gameDate/trigger',
          'POST /v1/projections/:name/rebuild',
          'POST /v1/quarantine/:id/replay',
          'GET /v1/events',
          'POST /v1/push/prediction-completions',
          'GET /health/live',
        ]),
      );
      expect(routes.length).toBeGreaterThan(30);
    });

    it('refuses every non-open route without a token or with a wrong one, in every spelling', async () => {
      const reached: string[] = [];
      const guarded = routes.filter(
        (route) =>
          !OPEN_ROUTES.has(`${route.method} ${route.path}`) &&
          !DOCS.test(`${route.method} ${route.path}`),
      );
      expect(guarded.length).toBeGreaterThan(25);
      for (const route of guarded) {
        const canonical = concrete(route.path);
        for (const authorization of [undefined, `Bearer wrong-${TOKEN}`]) {
          const headers = {
            'content-type': 'application/json',
            ...(authorization ? { authorization } : {}),
          };
          const own = await rawRequest({
            host: '127.0.0.1',
            port,
            method: route.method,
            path: canonical,
            headers,
            body: '{}',
          });
          if (own.status !== 401 && own.status !== 403)
            reached.push(describeAnswer(route, canonical, own));
          for (const spelling of spellings(canonical)) {
            const res = await rawRequest({
              host: '127.0.0.1',
              port,
              method: route.method,
              path: spelling,
              headers,
              body: '{}',
            });
            if (![401, 403, 404].includes(res.status))
              reached.push(describeAnswer(route, spelling, res));
          }
        }
      }
      expect(reached).toEqual([]);
    });

    it('lets the right token through on the canonical spelling only', async () => {
      const headers = { authorization: `Bearer ${TOKEN}` };
      const own = await rawRequest({
        host: '127.0.0.1',
        port,
        method: 'GET',
        path: '/v1/flags',
        headers,
      });
      expect(own.status).toBe(200);
      for (const spelling of spellings('/v1/flags')) {
        const res = await rawRequest({
          host: '127.0.0.1',
          port,
          method: 'GET',
          path: spelling,
          headers,
        });
        expect(`${spelling} ${res.status}`).toBe(`${spelling} 404`);
      }
    });

    it('keeps the open routes open', async () => {
      for (const path of ['/health/live', '/metrics', '/openapi.json']) {
        const res = await rawRequest({ host: '127.0.0.1', port, method: 'GET', path });
        expect(`${path} ${res.status}`).toBe(`${path} 200`);
      }
    });
  });

  describe('without ADMIN_TOKEN (loopback only), called from another address', () => {
    let test: TestApp;
    let port: number;
    let routes: Route[];
    const host = externalAddress();

    beforeAll(async () => {
      test = await startTestApp();
      port = await listen(test.app);
      routes = registeredRoutes(test.app);
    });
    afterAll(() => test.close());

    it('refuses every admin route in every spelling to a caller that is not on loopback', async () => {
      const reached: string[] = [];
      const admin = routes.filter(
        (route) =>
          !OPEN_ROUTES.has(`${route.method} ${route.path}`) &&
          !DOCS.test(`${route.method} ${route.path}`) &&
          !route.path.startsWith('/v1/push/'),
      );
      for (const route of admin) {
        const canonical = concrete(route.path);
        for (const path of [canonical, ...spellings(canonical)]) {
          const res = await rawRequest({
            host,
            port,
            method: route.method,
            path,
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          if (![403, 404].includes(res.status)) reached.push(describeAnswer(route, path, res));
        }
      }
      expect(reached).toEqual([]);
      // The same route answers a loopback caller: the refusal above is about the address.
      const local = await rawRequest({ host: '127.0.0.1', port, method: 'GET', path: '/v1/flags' });
      expect(local.status).toBe(200);
    });
  });
});

/** A non-loopback IPv4 address of this machine (the test connects to itself through it). */
function externalAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  throw new Error(
    'no non-loopback IPv4 address on this machine: the loopback-only admin check cannot be tested from outside loopback',
  );
}
