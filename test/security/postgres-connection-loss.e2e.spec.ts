import { join } from 'node:path';
import { ManualClock } from '../../src/common/clock/clock.js';
import { StoreUnavailableError } from '../../src/common/event-store/index.js';
import { postgresApplicationName } from '../../src/common/event-store/storage.factory.js';
import type { PostgresStorage } from '../../src/common/event-store/postgres/postgres-storage.js';
import { getJson, postJson, waitUntil } from '../support/multi-instance-http.js';
import {
  freshSchemaName,
  SchemaInspector,
  TEST_DATABASE_URL,
} from '../support/multi-instance-postgres.js';
import {
  startInstance,
  stopInstance,
  withOutputsOnFailure,
  type Instance,
} from '../support/multi-instance-process.js';
import { Pusher } from '../support/multi-instance-pusher.js';
import { PREDICTIONS_PUSH, type Send } from '../support/multi-instance-workload.js';
import { BackendKiller } from '../support/postgres-backend-killer.js';
import { postgresStorageFactory, withTestDatabase } from '../support/postgres-storage.factory.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { makeTempDir } from '../support/temp-dir.js';

const PLAYERS = 1200;
const CONCURRENCY = 8;
const KILL_INTERVAL_MS = 40;
/** Every this many rounds, the killer ends all of the instance's sessions at once. */
const KILL_ALL_EVERY = 25;
const SETTLE_TIMEOUT_MS = 60_000;
/** Long enough for the server's 'terminate' message to reach the idle client. */
const EVENT_DELIVERY_MS = 300;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue #11 item 7.1: a PostgreSQL session ended by the server (pg_terminate_backend, or
 * idle_in_transaction_session_timeout) while the service held its connection between two
 * statements made pg emit 'error' on a client nobody listened to, which killed the process.
 * A lost connection must fail only the operation in flight (503 for a request), and the pool
 * must recover.
 */
describe('PostgreSQL connections ended by the server', () => {
  describe('in the store', () => {
    // Its own application_name: the terminations below must hit only this spec's sessions.
    const applicationName = `shotclock-test-loss-${process.pid}`;
    const factory = postgresStorageFactory({ applicationName });
    let storage: PostgresStorage;
    beforeEach(async () => {
      storage = (await factory.create(new ManualClock())).storage as PostgresStorage;
    });
    afterEach(() => storage.close());
    afterAll(() => factory.dispose());

    it('fails a projection commit whose session is terminated between statements with StoreUnavailableError, then works again', async () => {
      await storage.events.append('s', [{ type: 'A', data: {} }], { expectedVersion: 'any' });
      const head = (await storage.events.head())!;
      const error = await storage.projections
        .commit('p', null, head, async (tx) => {
          await tx.get('docs', 'before');
          // The handler is between two reads: the connection is checked out and no query runs.
          await withTestDatabase((admin) =>
            admin.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE application_name = $1 AND state = 'idle in transaction'`,
              [applicationName],
            ),
          );
          await pause(EVENT_DELIVERY_MS);
          await tx.get('docs', 'after');
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(await storage.projections.checkpoint('p')).toBeNull();
      await storage.projections.commit('p', null, head, async (tx) => {
        await tx.put('docs', 'k', { ok: true });
      });
      expect(await storage.projections.checkpoint('p')).toBe(head);
    });

    it('fails a transaction ended by idle_in_transaction_session_timeout with StoreUnavailableError, then works again', async () => {
      const error = await storage.pool
        .transaction('idle too long', async (client) => {
          await client.query("SET LOCAL idle_in_transaction_session_timeout = '50ms'");
          await pause(EVENT_DELIVERY_MS);
          await client.query('SELECT 1');
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/idle too long/);
      expect(await storage.pool.query('after', 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });

    it('fails a held connection whose session is terminated with StoreUnavailableError, then works again', async () => {
      const error = await storage.pool
        .connection('hold', async (client) => {
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await withTestDatabase((admin) =>
            admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]),
          );
          await pause(EVENT_DELIVERY_MS);
          await client.query('SELECT 1');
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(await storage.pool.query('after', 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });
  });

  describe('in the running service', () => {
    const schema = freshSchemaName('conn_loss');
    const dir = makeTempDir('shotclock-conn-loss-');
    const id = `conn-loss-${process.pid}`;
    let instance: Instance | null = null;
    let killer: BackendKiller | null = null;

    afterAll(async () => {
      try {
        await killer?.stop().catch(() => undefined);
        if (instance) await stopInstance(instance, 'SIGKILL');
        const inspector = await SchemaInspector.connect(schema);
        await inspector.dropAndClose();
      } finally {
        dir.cleanup();
      }
    }, 30_000);

    it('stays up while its sessions are terminated during a stream of pushes, with each message one effect', async () => {
      instance = await startInstance(id, {
        EVENT_STORE: 'postgres',
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        DATABASE_POOL_MAX: '6',
        SQLITE_PATH: join(dir.path, 'analytics.sqlite'),
      });
      const running = instance;
      const batchId = 'batch_conn_loss';
      const players = Array.from({ length: PLAYERS }, (_, p) => `player-${p}`);
      await postJson(
        `${running.baseUrl}/v1/batches`,
        { batch_id: batchId, game_date: '2026-03-01', expected_players: players },
        201,
      );
      // Every message once, and every third one again, some of them at the same moment.
      const plan: Send[] = players.flatMap((player, p) => {
        const messageId = `pred-conn-loss-${player}`;
        const message = {
          messageId,
          path: PREDICTIONS_PUSH,
          envelope: pushEnvelope(
            {
              player_lookup: player,
              batch_id: batchId,
              game_date: '2026-03-01',
              predictions_generated: 1 + (p % 5),
              timestamp: '2026-03-01T15:00:00Z',
            },
            { messageId },
          ),
        };
        return p % 3 === 0
          ? [
              { message, concurrent: p % 2 === 0 },
              { message, concurrent: false },
            ]
          : [{ message, concurrent: false }];
      });

      killer = await BackendKiller.start(postgresApplicationName(id), {
        intervalMs: KILL_INTERVAL_MS,
        allEvery: KILL_ALL_EVERY,
      });
      const pusher = new Pusher(() => [running]);
      await withOutputsOnFailure([running], () => pusher.push(plan, { concurrency: CONCURRENCY }));
      const kills = await killer.stop();
      killer = null;

      expect(running.alive()).toBe(true);
      expect(pusher.stats.acknowledged.size).toBe(PLAYERS);
      // A lost connection is a busy store (503, redelivered), never an internal error.
      expect(pusher.stats.statuses[500]).toBeUndefined();
      // The killer really hit the service, including connections held inside a transaction.
      expect(kills.terminated).toBeGreaterThan(50);
      expect(kills.byState['idle in transaction']).toBeGreaterThan(0);

      await withOutputsOnFailure([running], () =>
        waitUntil(
          async () => {
            const view = await getJson<{ is_complete: boolean; completed_count: number }>(
              `${running.baseUrl}/v1/batches/${batchId}`,
            );
            return view.is_complete || `completed_count ${view.completed_count}`;
          },
          `batch ${batchId} complete`,
          SETTLE_TIMEOUT_MS,
        ),
      );
      const inspector = await SchemaInspector.connect(schema);
      try {
        const completions = await inspector.countBy('PredictionCompleted', 'player_lookup');
        const notOnce = players.filter((player) => completions.get(player) !== 1);
        expect(notOnce).toEqual([]);
        expect(completions.size).toBe(PLAYERS);
        const doubled = await inspector.query(
          `SELECT key FROM read_models WHERE collection = 'batch_players'
             AND ((doc->>'success_messages')::int <> 1 OR doc->>'status' <> 'completed')`,
        );
        expect(doubled).toEqual([]);
        expect(await inspector.countBy('BatchCompleted', 'batch_id')).toEqual(
          new Map([[batchId, 1]]),
        );
      } finally {
        await inspector.close();
      }
      // Still up after all of it, and never exited meanwhile.
      expect(running.alive()).toBe(true);
      const health = await fetch(`${running.baseUrl}/health/live`);
      expect(health.status).toBe(200);
      console.log(
        `connection loss: ${kills.terminated} sessions terminated in ${kills.rounds} rounds ` +
          `(${JSON.stringify(kills.byState)}); ${pusher.stats.requests} pushes, ` +
          `${pusher.stats.redeliveries} redeliveries, statuses ${JSON.stringify(pusher.stats.statuses)}`,
      );
    }, 180_000);
  });
});
