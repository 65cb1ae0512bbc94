import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { SERVICE_ENTRY } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';

const CLI_ENTRY = join(process.cwd(), '.build/src/cli/projections.js');

describe('process entry points', () => {
  const dir = makeTempDir('shotclock-entry-');
  afterAll(() => dir.cleanup());

  it('refuses to start on bad configuration: exit 1 and one line per bad variable', () => {
    const result = spawnSync(process.execPath, [SERVICE_ENTRY], {
      env: {
        PATH: process.env.PATH,
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        ENABLE_IDEMPOTENCY_KEYS: '150%',
        ADMIN_TOKEN: 'has a space',
        SQLITE_PATH: join(dir.path, 'never.sqlite'),
      },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines.filter((line) => /^\s+PORT=eighty: expected/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /^\s+LOG_LEVEL=loud: expected/.test(line))).toHaveLength(1);
    expect(
      lines.filter((line) => /^\s+ENABLE_IDEMPOTENCY_KEYS=150%: expected/.test(line)),
    ).toHaveLength(1);
    // The secret is named but never printed.
    expect(lines.filter((line) => /^\s+ADMIN_TOKEN=\*\*\*: expected/.test(line))).toHaveLength(1);
    expect(result.stderr).not.toContain('has a space');
  });

  it('rebuilds a projection from the CLI, printing progress', async () => {
    const path = join(dir.path, 'cli.sqlite');
    const storage = new SqliteStorage(
      { path, synchronous: 'NORMAL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
      new SystemClock(),
    );
    for (let i = 0; i < 25; i++) {
      await storage.events.append(
        `s-${i % 5}`,
        Array.from({ length: 100 }, () => ({ type: 'T', data: {} })),
        {
          expectedVersion: 'any',
        },
      );
    }
    await storage.close();

    const env = { PATH: process.env.PATH, SQLITE_PATH: path, LOG_LEVEL: 'warn' };
    const rebuild = spawnSync(process.execPath, [CLI_ENTRY, 'rebuild', 'stream-summaries'], {
      env,
      encoding: 'utf8',
    });
    expect(rebuild.stderr).toBe('');
    expect(rebuild.status).toBe(0);
    expect(rebuild.stdout).toContain('rebuild stream-summaries: 1000/2500 events (40%)');
    expect(rebuild.stdout).toContain('rebuild stream-summaries: 2500/2500 events (100%)');
    expect(rebuild.stdout).toMatch(/rebuilt stream-summaries: applied 2500 events/);

    const list = spawnSync(process.execPath, [CLI_ENTRY, 'list'], { env, encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^stream-summaries\t\w+\tcheckpoint=0+2500\tlag=0$/m);

    const unknown = spawnSync(process.execPath, [CLI_ENTRY, 'rebuild', 'nope'], {
      env,
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no projection named 'nope'");
  });
});
