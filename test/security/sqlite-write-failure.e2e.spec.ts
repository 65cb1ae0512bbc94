import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pushEnvelope } from '../support/push-envelope.js';
import { startServiceProcess } from '../support/service-process.js';
import { ManualClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import {
  fillDisk,
  makeImmutable,
  mountSmallDisk,
  remountReadOnly,
} from '../support/sqlite-disk-faults.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';

const PUSH = '/v1/push/prediction-completions';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: string;
}

/** The real service on `sqlitePath`, and what a test asks it. */
async function serviceOn(sqlitePath: string) {
  const service = await startServiceProcess({ SQLITE_PATH: sqlitePath });
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${service.baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: await response.text(),
    };
  };
  let batches = 0;
  return {
    service,
    call,
    /** An admin write: a batch on a game date of its own (one running batch per date). */
    createBatch: () => {
      const day = String(++batches).padStart(2, '0');
      return call('POST', '/v1/batches', {
        batch_id: `batch_2026-01-${day}_disk`,
        game_date: `2026-01-${day}`,
        expected_count: 1,
      });
    },
    push: (envelope: unknown) => call('POST', PUSH, envelope),
    writeFailing: async () =>
      /^shotclock_store_write_failing 1$/m.test((await call('GET', '/metrics')).body),
    async stop() {
      if (service.child.exitCode === null) service.child.kill('SIGTERM');
      await service.exited;
    },
  };
}

const completion = (batchId: string) =>
  pushEnvelope({
    player_lookup: 'lebron-james',
    game_date: '2026-01-22',
    predictions_generated: 5,
    batch_id: batchId,
    timestamp: '2026-01-22T15:02:11Z',
    worker_instance: 'prediction-worker-00042-xyz',
  });

/** While the fault lasts: 503 + Retry-After on writes, readiness 503 naming `cause`, liveness 200. */
async function expectRefusingWrites(
  it: Awaited<ReturnType<typeof serviceOn>>,
  envelope: unknown,
  cause: RegExp,
) {
  const push = await it.push(envelope);
  expect([push.status, push.retryAfter]).toEqual([503, '1']);
  expect(push.body).toMatch(cause);
  const admin = await it.createBatch();
  expect([admin.status, admin.retryAfter]).toEqual([503, '1']);
  expect(admin.body).toMatch(cause);
  const ready = await it.call('GET', '/health/ready');
  expect(ready.status).toBe(503);
  expect(JSON.parse(ready.body).error.event_store.error).toMatch(cause);
  expect((await it.call('GET', '/health')).status).toBe(503);
  expect((await it.call('GET', '/health/live')).status).toBe(200);
  expect(await it.writeFailing()).toBe(true);
}

/** Once the fault is gone: readiness recovers, the redelivered push has its one effect, writes work. */
async function expectRecovered(it: Awaited<ReturnType<typeof serviceOn>>, envelope: unknown) {
  await eventually(
    async () => (await it.call('GET', '/health/ready')).status === 200,
    'readiness back to 200',
    15_000,
  );
  expect(await it.writeFailing()).toBe(false);
  expect((await it.push(envelope)).status).toBe(204);
  const again = await it.push(envelope);
  expect([again.status, again.body]).toEqual([204, '']);
  expect((await it.createBatch()).status).toBe(201);
}

describe('SQLite store on a disk that refuses writes (real faults, real service)', () => {
  it('answers 503 with Retry-After and fails readiness while the database and its -wal are immutable (chattr +i), then recovers', async () => {
    const dir = makeTempDir('shotclock-immutable-');
    const sqlitePath = join(dir.path, 'shotclock.sqlite');
    const it = await serviceOn(sqlitePath);
    let fault: { undo(): void } | null = null;
    try {
      expect((await it.createBatch()).status).toBe(201);
      const envelope = completion('batch_2026-01-01_disk');
      fault = makeImmutable([sqlitePath, `${sqlitePath}-wal`]);
      // Readiness sees it before any request writes (access() probe of the files).
      const ready = await it.call('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body).error.event_store.error).toMatch(/not writable \(EPERM\)/);
      await expectRefusingWrites(
        it,
        envelope,
        new RegExp(`${sqlitePath.replace(/[.]/g, '\\.')}.*(chattr|lsattr)`),
      );
      fault.undo();
      fault = null;
      await expectRecovered(it, envelope);
    } finally {
      fault?.undo();
      await it.stop();
      dir.cleanup();
    }
  });

  it('answers 503 with Retry-After and fails readiness while its disk is full, then recovers once space is freed', async () => {
    const disk = mountSmallDisk(16 * 1024 * 1024);
    const sqlitePath = join(disk.path, 'shotclock.sqlite');
    const filler = join(disk.path, 'filler');
    let it: Awaited<ReturnType<typeof serviceOn>> | null = null;
    try {
      it = await serviceOn(sqlitePath);
      expect((await it.createBatch()).status).toBe(201);
      const envelope = completion('batch_2026-01-01_disk');
      // Empty the -wal into the database, so every later commit must grow the -wal on the full disk.
      await eventually(() => checkpointed(sqlitePath), 'a truncating checkpoint', 10_000);
      fillDisk(filler);
      await expectRefusingWrites(it, envelope, /full.*free space/);
      rmSync(filler);
      await expectRecovered(it, envelope);
    } finally {
      await it?.stop();
      disk.unmount();
    }
  });
});

describe('opening a SQLite store on a read-only file system (real remount)', () => {
  it('fails to open with a message naming the file, the cause and what to do, and opens once writable', async () => {
    const disk = mountSmallDisk(4 * 1024 * 1024);
    const path = join(disk.path, 'shotclock.sqlite');
    const open = () =>
      new SqliteStorage(
        { path, synchronous: 'FULL', busyTimeoutMs: 500, idempotencyTtlDays: () => 7 },
        new ManualClock('2026-01-22T12:00:00Z'),
      );
    let readOnly: { undo(): void } | null = null;
    try {
      await open().close();
      readOnly = remountReadOnly(disk.path);
      expect(open).toThrow(
        new RegExp(
          `opening SQLite store ${path.replace(/[.]/g, '\\.')} failed: .*SQLITE_CANTOPEN.*writable`,
        ),
      );
      readOnly.undo();
      readOnly = null;
      await open().close();
    } finally {
      readOnly?.undo();
      disk.unmount();
    }
  });
});

/** PRAGMA wal_checkpoint(TRUNCATE) from another connection; false while a writer is busy. */
function checkpointed(path: string): boolean {
  const db = new DatabaseSync(path);
  try {
    const row = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get();
    return Number(row?.busy) === 0;
  } finally {
    db.close();
  }
}
