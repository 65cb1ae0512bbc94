import { ManualClock } from '../../common/clock/clock.js';
import type { Storage } from '../../common/event-store/index.js';
import type { PushContext } from '../../common/ingestion/push-planner.js';
import { STORAGE_FACTORIES } from '../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../test/support/storage.contract.js';
import { BATCH_EVENTS, batchStream } from './batch.events.js';
import { PredictionCompletionPlanner } from './prediction-completion.planner.js';

const context: PushContext = {
  endpoint: 'prediction-completions',
  messageId: 'm-1',
  subscription: 'projects/p/subscriptions/s',
  publishTime: null,
  attributes: {},
  orderingKey: null,
  deliveryAttempt: 1,
  correlationId: 'm-1',
  receivedAt: new Date('2026-01-22T15:03:00.000Z'),
};
const fixture = {
  player_lookup: 'lebron-james',
  game_date: '2026-01-22',
  predictions_generated: 5,
  batch_id: 'batch_2026-01-22_1769083200',
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-00042-xyz',
};

describe.each(STORAGE_FACTORIES)(
  'PredictionCompletionPlanner (real %s store)',
  (_adapter, makeFactory) => {
    let factory: StorageFactory;
    let storage: Storage;
    let handler: PredictionCompletionPlanner;
    beforeAll(() => {
      factory = makeFactory();
    });
    afterAll(() => factory.dispose());
    beforeEach(async () => {
      ({ storage } = await factory.create(new ManualClock()));
      handler = new PredictionCompletionPlanner(storage);
    });
    afterEach(() => storage.close());

    const parse = (data: unknown) => handler.schema.parse(data);
    const batchExists = (id: string) =>
      storage.events.append(batchStream(id), [{ type: BATCH_EVENTS.created, data: {} }], {
        expectedVersion: 'no-stream',
      });

    it('parks a completion of a batch that does not exist yet, under batch:<id>', async () => {
      expect(await handler.plan(parse(fixture), context)).toEqual({
        kind: 'park',
        reason: 'unknown_batch',
        detail: expect.stringContaining('batch_2026-01-22_1769083200'),
        parkKey: 'batch:batch_2026-01-22_1769083200',
      });
    });

    it("appends the production message as PredictionCompleted on the player's stream, timed by receipt", async () => {
      await batchExists(fixture.batch_id);
      expect(await handler.plan(parse({ ...fixture, extra_field: 'kept out' }), context)).toEqual({
        kind: 'append',
        writes: [
          {
            streamId: 'batch-batch_2026-01-22_1769083200-player-lebron-james',
            expectedVersion: 'any',
            events: [
              {
                type: BATCH_EVENTS.predictionCompleted,
                data: {
                  batch_id: fixture.batch_id,
                  player_lookup: 'lebron-james',
                  game_date: '2026-01-22',
                  predictions_generated: 5,
                  worker_instance: 'prediction-worker-00042-xyz',
                  completed_at: '2026-01-22T15:03:00.000Z',
                  message_id: 'm-1',
                  reported_at: '2026-01-22T15:02:11Z',
                },
              },
            ],
          },
        ],
      });
    });

    it('appends the failure form as PredictionFailed', async () => {
      await batchExists('b1');
      const decision = await handler.plan(
        parse({
          player_lookup: 'joel-embiid',
          batch_id: 'b1',
          status: 'failed',
          error_message: 'model timeout',
        }),
        context,
      );
      expect(decision).toMatchObject({
        kind: 'append',
        writes: [
          {
            streamId: 'batch-b1-player-joel-embiid',
            events: [
              {
                type: BATCH_EVENTS.predictionFailed,
                data: {
                  batch_id: 'b1',
                  player_lookup: 'joel-embiid',
                  error_message: 'model timeout',
                  failed_at: '2026-01-22T15:03:00.000Z',
                  message_id: 'm-1',
                },
              },
            ],
          },
        ],
      });
    });

    it('names the offending field when a message breaks the schema', () => {
      const problems = (data: unknown) =>
        handler.schema.safeParse(data).error?.issues.map((issue) => issue.path.join('.'));
      expect(problems({ ...fixture, predictions_generated: -1 })).toEqual([
        'predictions_generated',
      ]);
      expect(
        problems({ player_lookup: 'a', batch_id: 'b1', status: 'failed', error_message: 3 }),
      ).toEqual(['error_message']);
      expect(problems({ ...fixture, batch_id: 'a/b' })).toEqual(['batch_id']);
      expect(problems({ ...fixture, player_lookup: 'two words' })).toEqual(['player_lookup']);
      expect(problems({ ...fixture, status: 'done' })).toEqual(['status']);
    });

    it('takes correlation_id from the payload when it carries one', () => {
      expect(handler.correlationIdOf(parse({ ...fixture, correlation_id: 'corr-9' }))).toBe(
        'corr-9',
      );
      expect(handler.correlationIdOf(parse(fixture))).toBeUndefined();
    });

    it('remembers at most its capacity of batches, and still finds a forgotten one', async () => {
      const planner = new PredictionCompletionPlanner(storage, 2);
      const ids = ['b1', 'b2', 'b3'];
      for (const id of ids) await batchExists(id);
      const kinds = [];
      for (const id of [...ids, 'b1']) {
        kinds.push((await planner.plan(parse({ ...fixture, batch_id: id }), context)).kind);
        expect(planner.knownBatchCount).toBeLessThanOrEqual(2);
      }
      expect(kinds).toEqual(['append', 'append', 'append', 'append']);
      expect(planner.knownBatchCount).toBe(2);
    });
  },
);
