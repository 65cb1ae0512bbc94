import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Lease {
  name: string;
  live: boolean;
  held_here: boolean;
}

/**
 * Every singleton job runs under its lease. Feature modules import LeasesModule (and the kernel
 * modules that use it) explicitly; a job whose module missed it would run on every instance.
 */
describe('module wiring: each singleton job of the app holds its lease (real app)', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ LOG_LEVEL: 'error' });
  });
  afterAll(() => test.close());

  it('lists a live lease, held here, for every projection, reaction, outbox topic, the timers and the export', async () => {
    const server = test.app.getHttpServer();
    const projections = (await request(server).get('/v1/projections').expect(200)).body
      .projections as Array<{ name: string }>;
    const topics = (await request(server).get('/v1/outbox').expect(200)).body.topics as Array<{
      topic: string;
    }>;
    const leases = (await request(server).get('/v1/leases').expect(200)).body.leases as Lease[];

    const expected = [
      ...projections.map((projection) => `projection:${projection.name}`),
      ...topics.map((topic) => `outbox:${topic.topic}`),
      'timer-scheduler',
      'analytics-export',
    ];
    expect(projections.length).toBeGreaterThan(10);
    expect(topics.length).toBe(2);
    const held = leases.filter((lease) => lease.live && lease.held_here).map((lease) => lease.name);
    expect(held).toEqual(expect.arrayContaining(expected));
  });
});
