import { request as httpRequest, Agent } from 'node:http';
import { join } from 'node:path';
import { makeTempDir } from '../support/temp-dir.js';
import { startServiceProcess } from '../support/service-process.js';

/** A GET over a given keep-alive agent, resolving with status and body. */
function get(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('SIGTERM on the real service process', () => {
  const dir = makeTempDir('shotclock-shutdown-');
  afterAll(() => dir.cleanup());

  it('turns readiness 503 first, finishes the in-flight request, stops at a checkpoint and exits 0', async () => {
    const service = await startServiceProcess({
      SQLITE_PATH: join(dir.path, 'shotclock.sqlite'),
      TIMEOUT_SHUTDOWN_DRAIN_MS: '1500',
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(`${service.baseUrl}/health/ready`, agent)).status).toBe(200);

      // An in-flight request: headers sent, body still uploading when SIGTERM arrives.
      const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          `${service.baseUrl}/v1/projections/stream-summaries/rebuild`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': '2' },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.write('{');
        setTimeout(() => req.end('}'), 1000);
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      service.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));

      const ready = await get(`${service.baseUrl}/health/ready`, agent);
      expect(ready.status).toBe(503);
      expect(ready.body).toContain('shutting down');

      expect((await inFlight).status).toBe(202);
      const { code } = await service.exited;
      expect(code).toBe(0);
      expect(service.output()).toContain(
        'stopped projections, outbox and timers at their checkpoints; store closed',
      );
    } finally {
      agent.destroy();
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
  });
});
