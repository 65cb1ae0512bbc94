import { ManualClock } from '../clock/clock.js';
import type { OutboundMessage, Storage } from '../event-store/index.js';
import { STORAGE_FACTORIES } from '../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../test/support/storage.contract.js';
import { eventually, fastTiming } from '../../../test/support/test-timing.js';
import { EmbeddedPublisher } from './embedded-publisher.js';
import { OutboxService } from './outbox.service.js';
import type { OutboxRoute } from './outbox-route.js';
import type { Publisher } from './publisher.port.js';

const route: OutboxRoute = {
  topic: 'nba-phase3-trigger',
  eventTypes: ['Phase3Triggered', 'Phase3Suppressed'],
  toMessage: (event) =>
    event.type === 'Phase3Suppressed'
      ? null
      : { attributes: { game_date: String((event.data as { d: string }).d) }, body: event.data },
};

/** A broker that refuses the first `failures` publishes, then accepts; it sees every attempt. */
class FlakyBroker implements Publisher {
  readonly kind = 'flaky';
  readonly attempts: OutboundMessage[] = [];
  readonly accepted: OutboundMessage[] = [];
  constructor(private failures: number) {}
  async publish(message: OutboundMessage): Promise<void> {
    this.attempts.push(message);
    if (this.failures-- > 0) throw new Error('broker unavailable');
    this.accepted.push(message);
  }
}

describe.each(STORAGE_FACTORIES)('OutboxService on %s', (_adapter, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  beforeAll(() => {
    factory = makeFactory();
  });
  afterAll(() => factory.dispose());
  beforeEach(async () => {
    ({ storage } = await factory.create(new ManualClock()));
  });
  afterEach(() => storage.close());

  const trigger = (d: string) =>
    storage.events.append(`phase-${d}`, [{ type: 'Phase3Triggered', data: { d } }], {
      expectedVersion: 'any',
    });

  it('delivers at least once, in log order, with stable ids, retrying after failures', async () => {
    const broker = new FlakyBroker(3);
    const outbox = new OutboxService(storage, broker, fastTiming, 1000);
    outbox.register(route);
    const appended = [await trigger('2026-01-20'), await trigger('2026-01-21')];
    await storage.events.append('phase-x', [{ type: 'Phase3Suppressed', data: { d: 'x' } }], {
      expectedVersion: 'any',
    });
    await trigger('2026-01-22');
    outbox.onApplicationBootstrap();
    try {
      await eventually(() => broker.accepted.length === 3, 'three deliveries');
      expect(broker.accepted.map((m) => m.attributes.game_date)).toEqual([
        '2026-01-20',
        '2026-01-21',
        '2026-01-22',
      ]);
      // The first message was attempted 4 times, always with the same id derived from its event.
      const firstId = `nba-phase3-trigger:${appended[0]!.eventIds[0]}`;
      expect(broker.attempts.slice(0, 4).map((m) => m.messageId)).toEqual([
        firstId,
        firstId,
        firstId,
        firstId,
      ]);
      const deliveries = await storage.outbox.deliveries({
        topic: 'nba-phase3-trigger',
        limit: 10,
      });
      expect(deliveries[0]).toMatchObject({
        messageId: firstId,
        attempts: 4,
        lastError: expect.stringContaining('broker unavailable'),
      });
      await eventually(async () => (await outbox.statuses())[0]!.backlog === 0, 'backlog drained');
    } finally {
      await outbox.onApplicationShutdown();
    }
  });

  it('resumes after a restart without losing or re-sending delivered messages', async () => {
    const embedded = new EmbeddedPublisher(storage.outbox);
    const first = new OutboxService(storage, embedded, fastTiming, 1000);
    first.register(route);
    first.onApplicationBootstrap();
    await trigger('2026-01-20');
    await eventually(
      async () => (await storage.outbox.embeddedMessages({ limit: 10 })).length === 1,
      'first',
    );
    await first.onApplicationShutdown();

    await trigger('2026-01-21');
    const second = new OutboxService(storage, embedded, fastTiming, 1000);
    second.register(route);
    second.onApplicationBootstrap();
    try {
      await eventually(
        async () => (await storage.outbox.embeddedMessages({ limit: 10 })).length === 2,
        'second',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const messages = await storage.outbox.embeddedMessages({ limit: 10 });
      expect(messages.map((m) => m.attributes.game_date)).toEqual(['2026-01-20', '2026-01-21']);
    } finally {
      await second.onApplicationShutdown();
    }
  });
});
