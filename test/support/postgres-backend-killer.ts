import pg from 'pg';
import { TEST_DATABASE_URL } from './postgres-storage.factory.js';

/** What a killer did, by the state each session was in when it was terminated. */
export interface KillStats {
  rounds: number;
  terminated: number;
  byState: Record<string, number>;
}

/**
 * Terminates the sessions of `applicationName` (pg_terminate_backend, as an operator or a
 * failover would) every `intervalMs` until stopped: each round one session at random, preferring
 * one that is idle inside a transaction (a checked-out connection between two statements, the
 * case that crashed the process), and every `allEvery`-th round all of them.
 */
export class BackendKiller {
  readonly stats: KillStats = { rounds: 0, terminated: 0, byState: {} };
  private running = false;
  private loop: Promise<void> | null = null;
  private failure: unknown = null;

  private constructor(
    private readonly admin: pg.Client,
    private readonly applicationName: string,
    private readonly intervalMs: number,
    private readonly allEvery: number,
  ) {}

  static async start(
    applicationName: string,
    options: { intervalMs: number; allEvery: number },
  ): Promise<BackendKiller> {
    const admin = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      application_name: 'shotclock-test-killer',
    });
    await admin.connect();
    const killer = new BackendKiller(admin, applicationName, options.intervalMs, options.allEvery);
    killer.running = true;
    // Kept until stop() reports it, so a failed round is not an unhandled rejection meanwhile.
    killer.loop = killer.run().catch((error: unknown) => {
      killer.failure = error;
    });
    return killer;
  }

  /** Stops after the current round and disconnects; rethrows what stopped the loop, if anything. */
  async stop(): Promise<KillStats> {
    this.running = false;
    try {
      await this.loop;
    } finally {
      await this.admin.end();
    }
    if (this.failure !== null) {
      throw new Error(`the backend killer stopped early: ${String(this.failure)}`, {
        cause: this.failure,
      });
    }
    return this.stats;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.stats.rounds += 1;
      const { rows } = await this.admin.query<{ pid: number; state: string | null }>(
        `SELECT pid, state FROM pg_stat_activity
         WHERE application_name = $1 AND pid <> pg_backend_pid()`,
        [this.applicationName],
      );
      const idleInTransaction = rows.filter((row) => row.state === 'idle in transaction');
      const pool = idleInTransaction.length > 0 ? idleInTransaction : rows;
      const victims =
        this.stats.rounds % this.allEvery === 0
          ? rows
          : pool.slice(Math.floor(Math.random() * pool.length)).slice(0, 1);
      for (const victim of victims) {
        const [result] = (
          await this.admin.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [
            victim.pid,
          ])
        ).rows;
        if (!result?.done) continue;
        this.stats.terminated += 1;
        const state = victim.state ?? 'unknown';
        this.stats.byState[state] = (this.stats.byState[state] ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }
}
