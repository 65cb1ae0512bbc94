import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { metricValue } from '../support/prometheus-text.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { holdWriteLock } from '../support/sqlite-write-lock.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';

/** Small, so the test is short; the hold outlasts it (and TEST_ENV's 1 s lease TTL) twice over. */
const BUSY_MS = 1500;
const HOLD_MS = 2 * BUSY_MS + 500;
/**
 * Generous: the service's event loop delayed longer than this means it was held. Measured inside
 * the service (its event-loop delay histogram), since a latency seen from the test process also
 * counts that process's own delays on a busy machine.
 */
const LIVENESS_BOUND_MS = BUSY_MS / 2;
const EVENT_LOOP_MAX = 'shotclock_process_nodejs_eventloop_lag_max_seconds';
const PUSH = '/v1/push/prediction-completions';
const BATCH = 'batch_2026-01-22_busy';
/** Pushes in flight together during the hold. */
const PUSHES = 20;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: string;
  ms: number;
}

describe('SQLite store locked by another process (real service, real second process holding BEGIN IMMEDIATE)', () => {
  const dir = makeTempDir('shotclock-busy-');
  const sqlitePath = join(dir.path, 'shotclock.sqlite');
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startServiceProcess({
      SQLITE_PATH: sqlitePath,
      TIMEOUT_STORE_BUSY_MS: String(BUSY_MS),
    });
  });
  afterAll(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGTERM');
    await service.exited;
    dir.cleanup();
  });

  /** One request; one that hangs (no answer well past the busy timeout) is status 0. */
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const started = performance.now();
    try {
      const response = await fetch(`${service.baseUrl}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(4 * BUSY_MS),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
        ms: performance.now() - started,
      };
    } catch (error) {
      const ms = performance.now() - started;
      return { status: 0, retryAfter: null, body: `no answer after ${ms} ms: ${error}`, ms };
    }
  };

  const allLeasesHeld = async () => {
    const answer = await call('GET', '/v1/leases');
    if (answer.status !== 200) return false;
    const { leases } = JSON.parse(answer.body) as {
      leases: Array<{ live: boolean; held_here: boolean }>;
    };
    return leases.length > 1 && leases.every((lease) => lease.live && lease.held_here);
  };

  /** The longest the service's event loop was delayed since the previous call, in ms. */
  const eventLoopDelayMaxMs = async () => {
    const answer = await call('GET', '/metrics');
    expect(answer.status).toBe(200);
    const seconds = metricValue(answer.body, EVENT_LOOP_MAX, {});
    if (!answer.body.includes(EVENT_LOOP_MAX)) throw new Error(`no ${EVENT_LOOP_MAX} in /metrics`);
    return seconds * 1000;
  };

  /** Asks /health/live back to back until stopped: every answer and its latency. */
  function pollLiveness() {
    const answers: Answer[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        answers.push(await call('GET', '/health/live'));
        await sleep(20);
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return answers;
      },
    };
  }

  /** Events carrying this Pub/Sub message id, read from the service's file by another connection. */
  const effectsOf = (messageId: string) => {
    const db = new DatabaseSync(sqlitePath, { readOnly: true });
    try {
      const row = db
        .prepare("SELECT count(*) AS n FROM events WHERE json_extract(metadata, '$.messageId') = ?")
        .get(messageId);
      return Number(row?.n);
    } finally {
      db.close();
    }
  };

  const createBatch = (batchId: string, gameDate: string, expected = 1) =>
    call('POST', '/v1/batches', {
      batch_id: batchId,
      game_date: gameDate,
      expected_count: expected,
    });

  it('keeps liveness answering, answers 503 with Retry-After within TIMEOUT_STORE_BUSY_MS, then recovers with one effect each', async () => {
    expect((await createBatch(BATCH, '2026-01-22', PUSHES)).status).toBe(201);
    await eventually(allLeasesHeld, 'every lease held before the lock', 10_000);
    const envelopes = Array.from({ length: PUSHES }, (_, i) =>
      pushEnvelope({
        player_lookup: `player-${i}`,
        game_date: '2026-01-22',
        predictions_generated: 5,
        batch_id: BATCH,
        timestamp: '2026-01-22T15:02:11Z',
        worker_instance: 'prediction-worker-00042-xyz',
      }),
    );
    const pushAll = () => Promise.all(envelopes.map((envelope) => call('POST', PUSH, envelope)));

    // A scrape resets the service's event-loop delay histogram: the next one covers the hold only.
    await eventLoopDelayMaxMs();
    const liveness = pollLiveness();
    let pushes: Answer[];
    let admin: Answer;
    let polled: Answer[];
    try {
      const lock = await holdWriteLock(sqlitePath);
      const released = sleep(HOLD_MS).then(() => lock.release());
      try {
        // Many writers queue at once: each still answers within the busy timeout of its own request.
        [pushes, admin] = await Promise.all([
          pushAll(),
          createBatch('batch_2026-01-23_during', '2026-01-23'),
        ]);
      } finally {
        await released;
      }
    } finally {
      polled = await liveness.stop();
    }
    const heldMs = await eventLoopDelayMaxMs();

    expect(polled.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(polled.length).toBeGreaterThan(HOLD_MS / LIVENESS_BOUND_MS);
    expect(heldMs).toBeLessThan(LIVENESS_BOUND_MS);
    // Liveness never waits on the store: no answer took as long as a busy timeout.
    expect(Math.max(...polled.map((answer) => answer.ms))).toBeLessThan(BUSY_MS);

    for (const push of pushes) {
      expect([push.status, push.retryAfter]).toEqual([503, '1']);
      expect(push.body).toContain('locked by another connection');
      expect(push.ms).toBeLessThan(BUSY_MS + 1000);
    }
    expect([admin.status, admin.retryAfter]).toEqual([503, '1']);
    expect(admin.ms).toBeLessThan(BUSY_MS + 1000);
    for (const envelope of envelopes) expect(effectsOf(envelope.message.messageId)).toBe(0);

    // Pub/Sub redelivers: exactly one effect each, then duplicates.
    expect((await pushAll()).map((answer) => answer.status)).toEqual(envelopes.map(() => 204));
    expect((await pushAll()).map((answer) => answer.status)).toEqual(envelopes.map(() => 204));
    for (const envelope of envelopes) expect(effectsOf(envelope.message.messageId)).toBe(1);
    expect((await createBatch('batch_2026-01-23_during', '2026-01-23')).status).toBe(201);

    // The leases lapsed during the hold: the instance takes them again and runs its jobs.
    await eventually(allLeasesHeld, 'every lease held again after the lock', 10_000);
    await eventually(
      async () =>
        JSON.parse((await call('GET', `/v1/batches/${BATCH}`)).body).completed_count === PUSHES,
      'the batch projection counting each redelivered completion once',
      10_000,
    );
  });
});
