import { readFileSync } from 'node:fs';
import { DiscoveryService } from '@nestjs/core';
import request from 'supertest';
import { readEnvFile } from '../../src/common/config/env-file.js';
import * as config from '../../src/common/config/index.js';
import { QUERY_PARAMS } from '../../src/common/http/query-params.decorator.js';
import { ROUTE_ACCESS } from '../../src/common/http/route-access.decorator.js';
import {
  documentRoutes,
  renderApiReference,
  routeMetadata,
  type OpenApiDocument,
} from '../../scripts/docs/api-reference.renderer.mjs';
import {
  collectConfiguration,
  renderConfiguration,
} from '../../scripts/docs/config-reference.renderer.mjs';
import { renderPage } from '../../scripts/docs/docs-page.mjs';
import { startTestApp } from '../support/test-app.js';

/**
 * The reference in docs/ is generated from the code (`npm run docs`); these tests render it
 * again from src/ and compare, so a variable or route added without regenerating fails here.
 */
describe('docs/configuration.md', () => {
  const page = 'docs/configuration.md';

  it('documents every variable the service reads', () => {
    const text = readFileSync(page, 'utf8');
    const names = [...config.knownVariableNames(), config.ENV_FILE_VARIABLE];
    expect(names.filter((name) => !text.includes(`\`${name}\``))).toEqual([]);
  });

  it('holds the reference as npm run docs:config generates it from the config definitions', async () => {
    const input = await collectConfiguration({
      config,
      readEnvFile,
      loadNamespace: (name) => import(`../../src/common/config/namespaces/${name}.config.js`),
    });
    const expected = await renderPage(page, renderConfiguration(input), 'npm run docs:config');
    // On failure: run `npm run docs:config` and review the diff of docs/configuration.md.
    expect(readFileSync(page, 'utf8')).toBe(expected);
  });
});

describe('docs/api.md', () => {
  const page = 'docs/api.md';

  it('lists every route of the OpenAPI document, as npm run docs:api generates it', async () => {
    const test = await startTestApp();
    try {
      const answer = await request(test.app.getHttpServer()).get('/openapi.json').expect(200);
      const document = answer.body as OpenApiDocument;
      const text = readFileSync(page, 'utf8');
      expect(documentRoutes(document).filter((route) => !text.includes(`\`${route}\``))).toEqual(
        [],
      );

      const controllers = test.app
        .get(DiscoveryService)
        .getControllers()
        .map((wrapper) => wrapper.metatype as NonNullable<typeof wrapper.metatype>);
      const metadata = routeMetadata(controllers, {
        routeAccess: ROUTE_ACCESS,
        queryParams: QUERY_PARAMS,
      });
      const expected = await renderPage(
        page,
        { 'api:routes': renderApiReference(document, metadata) },
        'npm run docs:api',
      );
      // On failure: run `npm run docs:api` and review the diff of docs/api.md.
      expect(text).toBe(expected);
    } finally {
      await test.close();
    }
  });
});
