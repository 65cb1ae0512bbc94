import { Logger, type LoggerService } from '@nestjs/common';
import { z } from 'zod';
import { STORAGE_FACTORIES } from '../../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../../test/support/storage.contract.js';
import { ManualClock } from '../../../common/clock/clock.js';
import { loadConfig } from '../../../common/config/index.js';
import type { RecordedEvent, Storage } from '../../../common/event-store/index.js';
import type { PushPlanner } from '../../../common/ingestion/push-planner.js';
import { PushPipeline } from './push-pipeline.js';

const scoreSchema = z.object({ game: z.string(), points: z.number().int() });
type Score = z.infer<typeof scoreSchema>;

/** A real handler of the pipeline's contract: one event per score, on the endpoint it is given. */
class ScoreHandler implements PushPlanner<Score> {
  readonly schema = scoreSchema;
  constructor(readonly endpoint: string) {}
  async plan(payload: Score) {
    return {
      kind: 'append' as const,
      writes: [
        {
          streamId: `score-${payload.game}`,
          events: [{ type: 'ScoreRecorded', data: payload }],
          expectedVersion: 'any' as const,
        },
      ],
    };
  }
}

/** Nest's logger pointed at a list: what the pipeline warned, as the service would log it. */
class WarningList implements LoggerService {
  readonly warnings: string[] = [];
  log() {}
  error() {}
  warn(message: unknown) {
    this.warnings.push(String(message));
  }
}

const SUBSCRIPTION = 'projects/p/subscriptions/replays';
/** A wrapped envelope as an operator posts it by hand: no messageId, no message_id. */
const handReplayed = (data: unknown, attributes: Record<string, string> = {}) =>
  Buffer.from(
    JSON.stringify({
      message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), attributes },
      subscription: SUBSCRIPTION,
    }),
  );
const headers = { 'content-type': 'application/json' };

async function recorded(storage: Storage): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of storage.events.readAll({ types: ['ScoreRecorded'] })) {
    events.push(event);
  }
  return events;
}

describe.each(STORAGE_FACTORIES)('push without a message id (real %s store)', (_, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  let pipeline: PushPipeline;
  let logs: WarningList;
  const clock = new ManualClock('2026-01-22T12:00:00Z');
  const scores = new ScoreHandler('scores');

  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(() => factory.dispose());
  beforeEach(async () => {
    ({ storage } = await factory.create(clock));
    pipeline = new PushPipeline(storage, clock, loadConfig({}));
    logs = new WarningList();
    Logger.overrideLogger(logs);
  });
  afterEach(() => storage.close());

  const deliver = (body: Buffer, handler: PushPlanner<Score> = scores) =>
    pipeline.process(handler, { body, headers }, { kind: 'delivery' });

  it('has one effect under push:<endpoint>:<subscription>/fp:<sha256> and warns once, whatever the redelivery storm', async () => {
    const body = handReplayed({ game: 'g1', points: 3 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(body)));
    answers.push(await deliver(body), await deliver(body));
    expect(answers.map((a) => a.status)).toEqual(Array(22).fill(204));
    expect(answers.filter((a) => a.outcome === 'processed')).toHaveLength(1);
    expect(answers.filter((a) => a.headers['Idempotent-Replayed'] === 'true')).toHaveLength(21);

    const events = await recorded(storage);
    expect(events).toHaveLength(1);
    const messageId = events[0]!.metadata.messageId as string;
    expect(messageId).toMatch(/^fp:[0-9a-f]{64}$/);
    // The stored key is exactly that one: appending under it again is a duplicate.
    const again = await storage.events.appendMulti(
      [{ streamId: 'probe', events: [{ type: 'Probe', data: {} }], expectedVersion: 'any' }],
      { idempotencyKey: `push:scores:${SUBSCRIPTION}/${messageId}` },
    );
    expect(again.duplicate).toBe(true);

    expect(logs.warnings.filter((line) => line.includes(messageId))).toHaveLength(1);
    expect(logs.warnings.join('\n')).toContain('without messageId/message_id');
  });

  it('is another message when its data or attributes differ, and has an effect on each endpoint', async () => {
    await deliver(handReplayed({ game: 'g1', points: 3 }));
    await deliver(handReplayed({ game: 'g1', points: 4 }));
    await deliver(handReplayed({ game: 'g1', points: 4 }, { source: 'ops' }));
    await deliver(
      handReplayed({ game: 'g1', points: 4 }, { source: 'ops' }),
      new ScoreHandler('other'),
    );
    const events = await recorded(storage);
    expect(events.map((e) => e.data)).toEqual([
      { game: 'g1', points: 3 },
      { game: 'g1', points: 4 },
      { game: 'g1', points: 4 },
      { game: 'g1', points: 4 },
    ]);
    // The same fingerprint on two endpoints (the key tells them apart), three fingerprints in all.
    expect(new Set(events.map((e) => e.metadata.messageId)).size).toBe(3);
    expect(logs.warnings).toHaveLength(4);
  });

  it('never answers 422: a changed payload is a different fingerprint, hence another message', async () => {
    const first = await deliver(handReplayed({ game: 'g2', points: 1 }));
    const changed = await deliver(handReplayed({ game: 'g2', points: 2 }));
    expect([first.status, changed.status]).toEqual([204, 204]);
    expect(changed.outcome).toBe('processed');
  });
});
