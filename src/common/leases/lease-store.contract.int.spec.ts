import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../clock/clock.js';
import type { Storage } from '../event-store/index.js';
import { STORAGE_FACTORIES } from '../../../test/support/storage-factories.js';
import type { StorageFactory } from '../../../test/support/storage.contract.js';

describe.each(STORAGE_FACTORIES)(
  'LeaseStore on %s (same cases for every adapter)',
  (_name, make) => {
    let factory: StorageFactory;
    let storage: Storage;
    let other: Storage;

    beforeAll(() => {
      factory = make();
    });
    afterAll(() => factory.dispose());
    beforeEach(async () => {
      const created = await factory.create(new ManualClock('2026-01-22T12:00:00Z'));
      storage = created.storage;
      other = await created.reopen(); // a second instance on the same store
    });
    afterEach(async () => {
      await storage.close();
      await other.close();
    });

    it('gives a free lease to the first holder, refuses another while it lives, renews for its holder', async () => {
      expect(await storage.leases.acquire('projection:x', 'a', 10_000)).toBe(true);
      expect(await other.leases.acquire('projection:x', 'b', 10_000)).toBe(false);
      expect(await storage.leases.acquire('projection:x', 'a', 10_000)).toBe(true);
      const [lease] = await other.leases.list();
      expect(lease).toMatchObject({ name: 'projection:x', holder: 'a' });
      expect(Date.parse(lease!.expiresAt)).toBeGreaterThan(Date.now() + 5_000);
      expect(Date.parse(lease!.renewedAt)).toBeGreaterThanOrEqual(Date.parse(lease!.acquiredAt));
    });

    it('hands a lapsed lease to another holder (the holder died or stalled)', async () => {
      expect(await storage.leases.acquire('timer-scheduler', 'a', 150)).toBe(true);
      await sleep(300);
      expect(await other.leases.acquire('timer-scheduler', 'b', 10_000)).toBe(true);
      expect(await storage.leases.acquire('timer-scheduler', 'a', 10_000)).toBe(false);
      expect((await storage.leases.list())[0]).toMatchObject({ holder: 'b' });
    });

    it('release by the holder frees it at once; release by anyone else does nothing', async () => {
      await storage.leases.acquire('outbox:t', 'a', 10_000);
      await other.leases.release('outbox:t', 'b');
      expect(await other.leases.acquire('outbox:t', 'b', 10_000)).toBe(false);
      await storage.leases.release('outbox:t', 'a');
      expect(await other.leases.acquire('outbox:t', 'b', 10_000)).toBe(true);
    });

    it('given eight instances racing for one lease, then exactly one holds it', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? storage : other).leases.acquire('analytics-export', `i${i}`, 10_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const holder = `i${results.indexOf(true)}`;
      expect((await storage.leases.list()).map((lease) => lease.holder)).toEqual([holder]);
    });
  },
);
