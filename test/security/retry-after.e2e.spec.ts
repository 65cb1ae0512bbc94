import request from 'supertest';
import { ShutdownState } from '../../src/common/health/shutdown-state.js';
import { startTestApp } from '../support/test-app.js';

/** Every 503 says when to come back, whatever raised it (not only a busy store). */
describe('every 503 carries Retry-After', () => {
  it('on readiness while shutting down (a "try again" refusal that is not a store error)', async () => {
    const test = await startTestApp({ TIMEOUT_STORE_RETRY_AFTER_MS: '2500' });
    try {
      const server = test.app.getHttpServer();
      test.app.get(ShutdownState).begin();
      const res = await request(server).get('/health/ready').expect(503);
      expect(res.headers['retry-after']).toBe('3');
      expect(JSON.stringify(res.body)).toContain('shutting down');
    } finally {
      await test.close();
    }
  });
});
