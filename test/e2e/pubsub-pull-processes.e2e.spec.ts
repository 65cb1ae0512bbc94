import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { PubSubClient } from '../../src/common/transport/pubsub/pubsub.client.js';
import { BATCH_EVENTS } from '../../src/modules/batches/batch.events.js';
import {
  createTopicWithSubscription,
  startPubSubTarget,
  uniqueName,
  type PubSubTarget,
} from '../support/pubsub/index.js';
import { metricValue } from '../support/prometheus-text.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';

const ROUTE = 'prediction-completions';
const MESSAGES = 800;
/** The log line of each pulled message whose effect was recorded. */
const PROCESSED_LINE = /"transport":"pull"[^\n]*"outcome":"processed"/g;
/** Any pulled message's log line, with its outcome. */
const PULL_OUTCOME_LINE = /"transport":"pull"[^\n]*"outcome":"(\w+)"/g;
/** The emulator's shortest ack deadline: what a SIGKILLed process's leased messages wait. */
const ACK_DEADLINE_SECONDS = 10;
/**
 * A liveness bound, not a timing claim: stranded messages come back after the ack deadline, the
 * rest at once; the margin covers a 2-core machine busy with other suites.
 */
const RESTART_COMPLETION_WAIT_MS = ACK_DEADLINE_SECONDS * 1000 + 90_000;
const COMPLETION_POLL_MS = 200;
/** Three service starts and an ack deadline: about 30 s on an idle 2-core VM, far more when it is busy. */
const INTERRUPTED_TEST_TIMEOUT_MS = 240_000;

/** PredictionCompleted events per message id, read from the service's SQLite file (service stopped). */
async function effectsByMessage(sqlitePath: string): Promise<Map<string, number>> {
  const storage = new SqliteStorage(
    { path: sqlitePath, synchronous: 'FULL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
    new SystemClock(),
  );
  const counts = new Map<string, number>();
  try {
    for await (const event of storage.events.readAll({
      types: [BATCH_EVENTS.predictionCompleted],
    })) {
      const id = String(event.metadata.messageId);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  } finally {
    await storage.close();
  }
  return counts;
}

async function getJson(service: ServiceProcess, path: string) {
  const response = await fetch(`${service.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const completedCount = async (service: ServiceProcess, batchId: string) =>
  Number((await getJson(service, `/v1/batches/${batchId}`)).body.completed_count ?? 0);

/** How many pulled messages the service logged with each outcome (processed, duplicate, ...). */
function pulledOutcomes(service: ServiceProcess): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const [, outcome] of service.output().matchAll(PULL_OUTCOME_LINE)) {
    tally[outcome!] = (tally[outcome!] ?? 0) + 1;
  }
  return tally;
}

/**
 * Waits until the batch shows every completion. Polls gently (a busy 2-core machine also runs the
 * service and the emulator) and, on timeout, says what the service did meanwhile.
 */
async function untilAllCompleted(service: ServiceProcess, batchId: string) {
  const deadline = Date.now() + RESTART_COMPLETION_WAIT_MS;
  for (;;) {
    const completed = await completedCount(service, batchId);
    if (completed >= MESSAGES) return;
    if (Date.now() > deadline) {
      throw new Error(
        `after the restart only ${completed} of ${MESSAGES} completions within ${RESTART_COMPLETION_WAIT_MS} ms; ` +
          `pulled outcomes ${JSON.stringify(pulledOutcomes(service))}; last output:\n` +
          service.output().slice(-4000),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, COMPLETION_POLL_MS));
  }
}

async function stop(service: ServiceProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (service.child.exitCode === null && service.child.signalCode === null) {
    service.child.kill(signal);
  }
  return service.exited;
}

describe('Pub/Sub pull in real service processes (SIGTERM, SIGKILL, worker mode)', () => {
  let target: PubSubTarget;
  const dir = makeTempDir('shotclock-pull-processes-');
  const started: ServiceProcess[] = [];
  beforeAll(async () => {
    target = await startPubSubTarget();
  });
  afterAll(async () => {
    await Promise.all(started.map((service) => stop(service, 'SIGKILL')));
    await target.stop();
    dir.cleanup();
  });

  const start = async (env: Record<string, string>) => {
    const service = await startServiceProcess({ ...target.env(), ...env });
    started.push(service);
    return service;
  };

  /** A topic, its subscription, a fresh store, and the env of a service pulling that subscription. */
  async function scenario(name: string) {
    const admin = target.client();
    const { topic, subscription } = await createTopicWithSubscription(admin, {
      ackDeadlineSeconds: ACK_DEADLINE_SECONDS,
    });
    const sqlitePath = join(dir.path, `${name}.sqlite`);
    const env = {
      SQLITE_PATH: sqlitePath,
      PUBSUB_SUBSCRIPTIONS: `${ROUTE}=${subscription.name}`,
      TIMEOUT_PUBSUB_PULL_ACK_DEADLINE_MS: String(ACK_DEADLINE_SECONDS * 1000),
    };
    const publisher = new PubSubClient({ client: admin, topics: { [ROUTE]: topic.name } });
    const publish = async (batchId: string) => {
      const ids = await Promise.all(
        Array.from({ length: MESSAGES }, (_, n) =>
          lastValueFrom(
            publisher.emit<string>(ROUTE, {
              player_lookup: `player-${n}`,
              game_date: '2026-01-22',
              predictions_generated: 5,
              batch_id: batchId,
            }),
          ),
        ),
      );
      await publisher.close();
      return ids;
    };
    return { env, sqlitePath, subscription: subscription.name, publish };
  }

  async function createBatch(service: ServiceProcess, batchId: string) {
    const response = await fetch(`${service.baseUrl}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        batch_id: batchId,
        game_date: '2026-01-22',
        expected_count: MESSAGES,
      }),
    });
    expect(response.status).toBe(201);
  }

  /**
   * Sends `signal` to `service` as soon as its log shows `processed` more pulled messages processed
   * (one log line each), counting from the start of its output: mid-stream whatever the pace.
   */
  async function interruptAfter(
    service: ServiceProcess,
    processed: number,
    signal: NodeJS.Signals,
  ) {
    const count = () => service.output().match(PROCESSED_LINE)?.length ?? 0;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (count() < processed) return;
        service.child.stdout!.off('data', check);
        resolve();
      };
      service.child.stdout!.on('data', check);
      void service.exited.then(() =>
        reject(new Error(`the service exited before processing ${processed} pulled messages`)),
      );
      check();
    });
    return stop(service, signal);
  }

  it(
    'SIGTERM and then SIGKILL mid-stream, then a restart: nothing acked without its effect, every message one effect',
    async () => {
      const { env, sqlitePath, subscription, publish } = await scenario('interrupted');
      const batchId = 'batch_2026-01-22_pull_interrupted';
      const first = await start(env);
      await createBatch(first, batchId);

      // SIGTERM under load: stop pulling, settle what is in flight, nack the rest, exit 0 (the
      // forced exit past TIMEOUT_SHUTDOWN_DRAIN_MS + GRACE_MS is 1).
      const [ids, terminated] = await Promise.all([
        publish(batchId),
        interruptAfter(first, 100, 'SIGTERM'),
      ]);
      expect(terminated.code).toBe(0);
      expect(first.output()).toContain(`stopped pulling ${subscription}`);
      const afterTerm = await effectsByMessage(sqlitePath);
      expect(afterTerm.size).toBeLessThan(MESSAGES);
      expect(new Set(afterTerm.values())).toEqual(new Set([1]));

      // SIGKILL mid-stream: its leased messages come back once their ack deadline expires.
      const second = await start(env);
      const killed = await interruptAfter(second, 20, 'SIGKILL');
      expect(killed.signal).toBe('SIGKILL');
      const afterKill = await effectsByMessage(sqlitePath);
      expect(afterKill.size).toBeLessThan(MESSAGES);
      expect(new Set(afterKill.values())).toEqual(new Set([1]));

      // Whatever was nacked or never acked comes back; a message acked without its effect never would.
      const third = await start(env);
      await untilAllCompleted(third, batchId);
      expect((await stop(third)).code).toBe(0);
      const after = await effectsByMessage(sqlitePath);
      expect([...after.keys()].sort()).toEqual([...ids].sort());
      expect(new Set(after.values())).toEqual(new Set([1]));
    },
    INTERRUPTED_TEST_TIMEOUT_MS,
  );

  it('a worker serves only probes and metrics, is not ready until its subscription exists, then pulls', async () => {
    const admin = target.client();
    const [topic] = await admin.createTopic(uniqueName('topic'));
    const subscriptionId = uniqueName('late-sub');
    const subscription = `projects/${target.projectId}/subscriptions/${subscriptionId}`;
    const worker = await start({
      SQLITE_PATH: join(dir.path, 'worker.sqlite'),
      SHOTCLOCK_MODE: 'worker',
      PUBSUB_SUBSCRIPTIONS: `${ROUTE}=${subscription}`,
    });
    expect(worker.output()).toMatch(/SHOTCLOCK_MODE=worker: HTTP serves probes and metrics only/);

    const api = await getJson(worker, '/v1/batches/batch_2026-01-22_any');
    expect(api).toMatchObject({
      status: 404,
      body: { message: expect.stringContaining('SHOTCLOCK_MODE=worker') },
    });
    expect((await fetch(`${worker.baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${worker.baseUrl}/metrics`)).status).toBe(200);

    await eventually(
      async () => (await getJson(worker, '/health/ready')).status === 503,
      'readiness failing on the missing subscription',
    );
    const notReady = await getJson(worker, '/health/ready');
    expect(notReady.body).toMatchObject({
      error: {
        pubsub_pull: {
          status: 'down',
          fails_readiness: true,
          error: expect.stringContaining(subscription),
        },
      },
    });

    await topic.createSubscription(subscriptionId);
    await eventually(
      async () => (await getJson(worker, '/health/ready')).status === 200,
      'readiness once the subscription exists and its stream is open',
      15_000,
    );
    // A completion of a batch this store does not know: parked in quarantine, and acknowledged.
    await topic.publishMessage({
      json: { player_lookup: 'lebron-james', batch_id: 'batch_2026-01-22_unknown' },
    });
    await eventually(async () => {
      const text = await (await fetch(`${worker.baseUrl}/metrics`)).text();
      return (
        metricValue(text, 'shotclock_pull_quarantined_total', { subscription }) === 1 &&
        metricValue(text, 'shotclock_pull_acked_total', { subscription }) === 1
      );
    }, 'the pulled message quarantined and acked');
    expect((await stop(worker)).code).toBe(0);
  });
});
