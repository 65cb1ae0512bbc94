import pg from 'pg';

/** Where the PostgreSQL suite runs: `--database-url` or BENCH_DATABASE_URL, else the local test database. */
export function benchDatabaseUrl(flag: string | undefined): string {
  return flag ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/**
 * Fresh schemas (and databases) for one bench run, named after this process so parallel runs do
 * not collide, and dropped at the end (also after a failed run). One admin connection creates and
 * drops them.
 */
export class BenchSchemas {
  private readonly created = new Set<string>();
  private readonly databases = new Set<string>();

  private constructor(
    readonly url: string,
    private readonly admin: pg.Client,
  ) {}

  static async connect(url: string): Promise<BenchSchemas> {
    const admin = new pg.Client({ connectionString: url });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(
        `cannot connect to the bench database (${redact(url)}): ${String(error)}; start PostgreSQL or pass --database-url`,
        { cause: error },
      );
    }
    return new BenchSchemas(url, admin);
  }

  /** A schema name unique to this process and `label` (created by the caller's store, or by `create`). */
  name(label: string): string {
    const schema = `bench_${process.pid}_${label}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    this.created.add(schema);
    return schema;
  }

  /** Creates an empty schema (for stores that do not create their own). */
  async create(label: string): Promise<string> {
    const schema = this.name(label);
    await this.admin.query(`CREATE SCHEMA ${schema}`);
    return schema;
  }

  /**
   * A fresh database on the same server; returns its URL. For Emmett: its migrations look for their
   * functions in any schema (pg_proc by name), so a second store in another schema of the same
   * database skips creating them and then fails to call them.
   */
  async createDatabase(label: string): Promise<string> {
    const database = `shotclock_bench_${process.pid}_${label}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    await this.admin.query(`CREATE DATABASE ${database}`);
    this.databases.add(database);
    const url = new URL(this.url);
    url.pathname = `/${database}`;
    return url.toString();
  }

  /**
   * Gives the planner statistics, as autovacuum would on a live table: a log filled seconds ago
   * has none, and whether autovacuum's ANALYZE lands before or during a read decides its plan.
   */
  async analyze(schema: string): Promise<void> {
    const { rows } = await this.admin.query<{ tablename: string }>(
      'SELECT tablename FROM pg_tables WHERE schemaname = $1',
      [schema],
    );
    for (const { tablename } of rows) await this.admin.query(`ANALYZE ${schema}.${tablename}`);
  }

  async drop(schema: string): Promise<void> {
    await this.admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    this.created.delete(schema);
  }

  /** What the figures were measured on: the server's version and its durability settings. */
  async describeServer(): Promise<Record<string, string>> {
    const { rows } = await this.admin.query<{ name: string; setting: string }>(
      `SELECT 'version' AS name, version() AS setting
       UNION ALL SELECT name, setting FROM pg_settings
       WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'commit_delay')`,
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  }

  /** Drops every schema this run made, then closes the admin connection. */
  async close(): Promise<void> {
    try {
      for (const schema of [...this.created]) await this.drop(schema);
      for (const database of [...this.databases]) {
        await this.admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        this.databases.delete(database);
      }
    } finally {
      await this.admin.end();
    }
  }
}

/** The URL without its password, for error messages. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
