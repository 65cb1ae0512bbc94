import request from 'supertest';
import { ShutdownState } from '../../src/common/health/shutdown-state.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

describe('health endpoints (real app over HTTP)', () => {
  let test: TestApp;
  beforeEach(async () => {
    test = await startTestApp();
  });
  afterEach(() => test.close());

  it('answers liveness without touching dependencies', async () => {
    await request(test.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready when the store answers and projections run within the lag bound', async () => {
    const server = test.app.getHttpServer();
    await eventually(
      async () => (await request(server).get('/health/ready')).status === 200,
      'ready',
    );
    const res = await request(server).get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.event_store).toMatchObject({
      status: 'up',
      healthy: true,
      store: 'sqlite',
    });
    expect(typeof res.body.info.event_store.latency_ms).toBe('number');
    expect(res.body.info.projections.status).toBe('up');
  });

  it('summarises status, traffic and dependencies at /health', async () => {
    const server = test.app.getHttpServer();
    await request(server).get('/health/live');
    await request(server).get('/health/live');
    const res = await request(server).get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'healthy',
      version: expect.any(String),
      environment: 'dev', // config/workflows.yaml
      dependencies: {
        event_store: { healthy: true, error: null },
        projections: { healthy: true },
        outbox: { healthy: true },
      },
    });
    expect(res.body.request_count).toBeGreaterThanOrEqual(2);
    expect(res.body.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(res.body.p95_latency_ms).toBeGreaterThanOrEqual(0);
    expect(res.body.avg_latency_ms).toBeGreaterThanOrEqual(0);
    expect(new Date(res.body.last_request_at).getTime()).not.toBeNaN();
    expect(typeof res.body.dependencies.event_store.latency_ms).toBe('number');
  });

  it('turns readiness 503 as soon as shutdown begins, while liveness stays 200', async () => {
    const server = test.app.getHttpServer();
    await eventually(
      async () => (await request(server).get('/health/ready')).status === 200,
      'ready',
    );
    test.app.get(ShutdownState).begin();
    const res = await request(server).get('/health/ready').expect(503);
    expect(JSON.stringify(res.body)).toContain('shutting down');
    await request(server).get('/health/live').expect(200);
    expect((await request(server).get('/health')).body.status).toBe('degraded');
  });

  it('reports unhealthy with 503 when the store is gone, without hanging or crashing', async () => {
    const server = test.app.getHttpServer();
    const { STORAGE } = await import('../../src/common/event-store/index.js');
    await test.app.get(STORAGE).close();
    const res = await request(server).get('/health').expect(503);
    expect(res.body.status).toBe('unhealthy');
    expect(res.body.dependencies.event_store.healthy).toBe(false);
    expect(res.body.dependencies.event_store.error).toEqual(expect.any(String));
    await request(server).get('/health/ready').expect(503);
    await request(server).get('/health/live').expect(200);
  });

  it('reuses a check result within the health cache window', async () => {
    const cachedApp = await startTestApp({ TIMEOUT_HEALTH_CACHE_MS: '60000' });
    try {
      const server = cachedApp.app.getHttpServer();
      const first = await request(server).get('/health').expect(200);
      const { STORAGE } = await import('../../src/common/event-store/index.js');
      await cachedApp.app.get(STORAGE).close();
      const second = await request(server).get('/health').expect(200);
      expect(second.body.dependencies.event_store).toEqual(first.body.dependencies.event_store);
    } finally {
      await cachedApp.close();
    }
  });

  it('exports Prometheus metrics', async () => {
    const server = test.app.getHttpServer();
    await request(server).get('/health/live');
    const res = await request(server).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(
      /shotclock_http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+/,
    );
    expect(res.text).toContain('shotclock_http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/shotclock_projection_lag_events\{projection="stream-summaries"/);
    expect(res.text).toContain('shotclock_event_appends_total');
    expect(res.text).toContain('shotclock_idempotent_duplicates_total');
    expect(res.text).toContain('shotclock_outbox_backlog_events');
  });
});
