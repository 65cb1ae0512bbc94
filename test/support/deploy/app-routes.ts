import request from 'supertest';
import {
  documentRoutes,
  type OpenApiDocument,
} from '../../../scripts/docs/api-reference.renderer.mjs';
import { startTestApp, type TestApp } from '../test-app.js';

/** The real application in-process, asked for its routes and answers. */
export interface AppRoutes {
  /** Every route of the app's OpenAPI document, `GET /health/live` style. */
  readonly routes: readonly string[];
  /** The status the app answers `GET path` with. */
  statusOf(path: string): Promise<number>;
  close(): Promise<void>;
}

export async function startAppRoutes(): Promise<AppRoutes> {
  const test: TestApp = await startTestApp();
  try {
    const answer = await request(test.app.getHttpServer()).get('/openapi.json').expect(200);
    return {
      routes: documentRoutes(answer.body as OpenApiDocument),
      async statusOf(path) {
        return (await request(test.app.getHttpServer()).get(path)).status;
      },
      close: () => test.close(),
    };
  } catch (error) {
    await test.close();
    throw error;
  }
}
