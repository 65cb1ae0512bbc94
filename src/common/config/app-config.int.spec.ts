import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { knownVariableNames, loadConfig } from './app-config.js';
import { ConfigValidationError } from './config-validation.error.js';
import { defaultServiceVersion } from './service-identity.js';

function configErrorLines(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.lines;
    throw error;
  }
  throw new Error(`expected loadConfig to reject ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shotclock-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function envFile(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      bodyLimitBytes: 1_048_576,
      adminToken: undefined,
    });
    expect(config.server.serviceVersion).toBe(defaultServiceVersion());
    expect(config.server.instanceId).toBe(`${hostname()}-${process.pid}`);
    expect(config.store).toEqual({
      eventStore: 'sqlite',
      sqlitePath: './data/shotclock.sqlite',
      sqliteSynchronous: 'FULL',
      databaseUrl: undefined,
      databasePoolMax: 10,
      databaseSchema: 'public',
      firestoreCollectionPrefix: 'shotclock_',
    });
    expect(config.logging).toEqual({ logLevel: 'info', gcpProjectId: undefined });
    expect(config.health).toEqual({ readinessMaxProjectionLagEvents: 10_000 });
    expect(config.timeouts.httpRequestMs).toBe(30_000);
    expect(config.flags.isEnabled('ENABLE_QUERY_CACHING', 'q')).toBe(true);
  });

  it('reads the service version from package.json', () => {
    expect(defaultServiceVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('parses valid values, ignoring case where documented, and ignores unknown variables', () => {
    const config = loadConfig({
      PORT: '3000',
      HOST: '127.0.0.1',
      SQLITE_SYNCHRONOUS: 'normal',
      LOG_LEVEL: 'DEBUG',
      GCP_PROJECT_ID: 'shotclock-prod',
      INSTANCE_ID: 'rev-7',
      SOMETHING_ELSE: 'whatever',
    });
    expect(config.server.port).toBe(3000);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.store.sqliteSynchronous).toBe('NORMAL');
    expect(config.logging.logLevel).toBe('debug');
    expect(config.logging.gcpProjectId).toBe('shotclock-prod');
    expect(config.server.instanceId).toBe('rev-7');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_TOKEN: '  ' }).server).toMatchObject({
      port: 8080,
      adminToken: undefined,
    });
  });

  it('reports a bad variable by name with the value as given and what was expected', () => {
    expect(configErrorLines({ PORT: 'abc' })).toEqual([
      'PORT=abc: expected an integer from 0 to 65535',
    ]);
  });

  it('reports every bad variable at once, one line each', () => {
    const lines = configErrorLines({
      PORT: '70000',
      EVENT_STORE: 'mysql',
      DATABASE_POOL_MAX: '0',
      DATABASE_SCHEMA: 'Shotclock-Prod',
      LOG_LEVEL: 'loud',
      READINESS_MAX_PROJECTION_LAG_EVENTS: '-1',
      ENABLE_QUERY_CACHING: 'maybe',
      DEDUP_TTL_DAYS: '0',
      TIMEOUT_HTTP_REQUEST_MS: 'soon',
    });
    expect(lines).toEqual([
      'PORT=70000: expected an integer from 0 to 65535',
      'EVENT_STORE=mysql: expected one of: sqlite, postgres, firestore',
      'DATABASE_POOL_MAX=0: expected an integer from 1 to 1000',
      'DATABASE_SCHEMA=Shotclock-Prod: expected a lower-case identifier: letters, digits and _, not starting with a digit, at most 63',
      'LOG_LEVEL=loud: expected one of: trace, debug, info, warn, error, fatal',
      'READINESS_MAX_PROJECTION_LAG_EVENTS=-1: expected an integer of 0 or more (events)',
      'ENABLE_QUERY_CACHING=maybe: expected true, false, 1, 0 or a rollout percentage from 0% to 100% (e.g. 10%)',
      'DEDUP_TTL_DAYS=0: expected a number of days greater than 0, up to 3650 (decimals allowed)',
      'TIMEOUT_HTTP_REQUEST_MS=soon: expected a number of milliseconds greater than 0, up to 2147483647',
    ]);
  });

  it('refuses EVENT_STORE=firestore without a project or with bodies it cannot quarantine', () => {
    expect(configErrorLines({ EVENT_STORE: 'firestore', BODY_LIMIT_BYTES: '5000000' })).toEqual([
      'GOOGLE_CLOUD_PROJECT=(unset): expected the project whose Firestore database holds the store, required with EVENT_STORE=firestore',
      'BODY_LIMIT_BYTES=5000000: expected at most 4000000 with EVENT_STORE=firestore (a quarantined body is kept in one Firestore transaction)',
    ]);
    const config = loadConfig({ EVENT_STORE: 'firestore', GOOGLE_CLOUD_PROJECT: 'nba-props' });
    expect(config.store.eventStore).toBe('firestore');
    expect(loadConfig({ BODY_LIMIT_BYTES: '5000000' }).server.bodyLimitBytes).toBe(5_000_000);
  });

  it('masks sensitive values in error lines', () => {
    const secretUrl = 'mysql://admin:hunter2@db/shotclock';
    const lines = configErrorLines({
      DATABASE_URL: secretUrl,
      ADMIN_TOKEN: 'has a space',
      PORT: 'x',
    });
    expect(lines).toEqual([
      'PORT=x: expected an integer from 0 to 65535',
      'ADMIN_TOKEN=***: expected a token without spaces',
      'DATABASE_URL=***: expected a postgres:// or postgresql:// URL',
    ]);
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('puts the lines in the error message with what to do', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      /PORT=abc: expected an integer from 0 to 65535[\s\S]*restart/,
    );
  });

  it('keeps secrets out of printed and serialised config', () => {
    const config = loadConfig({
      ADMIN_TOKEN: 'tok-123456',
      DATABASE_URL: 'postgres://u:pw-secret@db/x',
    });
    expect(config.server.adminToken?.reveal()).toBe('tok-123456');
    expect(config.store.databaseUrl?.reveal()).toBe('postgres://u:pw-secret@db/x');
    const printed = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(config.server.adminToken),
    ].join('\n');
    expect(printed).not.toContain('tok-123456');
    expect(printed).not.toContain('pw-secret');
    expect(printed).toContain('***');
  });

  it('returns a frozen config', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.timeouts)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  describe('with SHOTCLOCK_ENV_FILE', () => {
    it('reads the file beneath the environment and tracks each flag source', () => {
      const path = envFile(
        'sources.env',
        [
          '# comment',
          '',
          'ENABLE_QUERY_CACHING=false',
          'DEDUP_TTL_DAYS=3',
          'export PORT="9000"',
          'LOG_LEVEL=warn',
        ].join('\n'),
      );
      const config = loadConfig({
        SHOTCLOCK_ENV_FILE: path,
        DEDUP_TTL_DAYS: '14',
        ENABLE_IDEMPOTENCY_KEYS: '0',
        LOG_LEVEL: 'error',
      });
      expect(config.flags.source('ENABLE_QUERY_CACHING')).toBe('file');
      expect(config.flags.isEnabled('ENABLE_QUERY_CACHING', 'q')).toBe(false);
      expect(config.flags.source('DEDUP_TTL_DAYS')).toBe('env');
      expect(config.flags.number('DEDUP_TTL_DAYS')).toBe(14);
      expect(config.flags.source('ENABLE_IDEMPOTENCY_KEYS')).toBe('env');
      expect(config.flags.source('ENABLE_PARALLEL_CONFIG')).toBe('default');
      expect(config.flags.isEnabled('ENABLE_PARALLEL_CONFIG', 'wf')).toBe(true);
      expect(config.server.port).toBe(9000);
      expect(config.logging.logLevel).toBe('error');
      const listed = Object.fromEntries(
        config.flags.list().map((flag) => [flag.name, flag.source]),
      );
      expect(listed).toMatchObject({
        ENABLE_QUERY_CACHING: 'file',
        DEDUP_TTL_DAYS: 'env',
        ENABLE_PARALLEL_CONFIG: 'default',
      });
    });

    it('reports a missing file by its path', () => {
      const path = join(dir, 'does-not-exist.env');
      const lines = configErrorLines({ SHOTCLOCK_ENV_FILE: path });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `SHOTCLOCK_ENV_FILE=${path}: expected a readable env file, but it does not exist`,
      );
    });

    it('reports bad lines, bad values and misspelt names in the file together with bad env values', () => {
      const path = envFile(
        'bad.env',
        [
          'PORT=zero',
          'this is not an assignment',
          'ENABLE_QUERY_CACHEING=false',
          'ADMIN_TOKN=s3cret',
        ].join('\n'),
      );
      const lines = configErrorLines({ SHOTCLOCK_ENV_FILE: path, LOG_LEVEL: 'loud' });
      expect(lines).toEqual([
        `SHOTCLOCK_ENV_FILE=${path}: expected an env file of KEY=VALUE lines, but line 2 is not KEY=VALUE: "this is not an assignment"`,
        `ENABLE_QUERY_CACHEING=***: expected a known variable name (line 3 of ${path}; did you mean ENABLE_QUERY_CACHING?)`,
        `ADMIN_TOKN=***: expected a known variable name (line 4 of ${path}; did you mean ADMIN_TOKEN?)`,
        'PORT=zero: expected an integer from 0 to 65535',
        'LOG_LEVEL=loud: expected one of: trace, debug, info, warn, error, fatal',
      ]);
      expect(lines.join('\n')).not.toContain('s3cret');
    });
  });

  it('knows every variable it reads', () => {
    const names = knownVariableNames();
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'READINESS_MAX_PROJECTION_LAG_EVENTS',
      'DUAL_WRITE_MODE',
      'TIMEOUT_HEALTH_CACHE_MS',
    ]) {
      expect(names.has(name)).toBe(true);
    }
  });
});
