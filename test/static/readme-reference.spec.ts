import { readFileSync } from 'node:fs';
import { knownVariableNames } from '../../src/common/config/index.js';

describe('README configuration reference', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('documents every variable the service reads', () => {
    const missing = [...knownVariableNames(), 'SHOTCLOCK_ENV_FILE'].filter(
      (name) => !readme.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });

  it('documents every admin route the OpenAPI document lists', async () => {
    const { startTestApp } = await import('../support/test-app.js');
    const request = (await import('supertest')).default;
    const test = await startTestApp();
    try {
      const doc = await request(test.app.getHttpServer()).get('/openapi.json').expect(200);
      const routes = Object.entries(
        doc.body.paths as Record<string, Record<string, unknown>>,
      ).flatMap(([path, methods]) =>
        Object.keys(methods).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      );
      const missing = routes.filter((route) => !readme.includes(route));
      expect(missing).toEqual([]);
    } finally {
      await test.close();
    }
  });
});
