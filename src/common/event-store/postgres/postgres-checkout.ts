import type pg from 'pg';

/**
 * Listens for 'error' on every connection the pool hands out, from the moment it is acquired
 * until it is back in the pool.
 *
 * When the server ends a session (pg_terminate_backend, idle_in_transaction_session_timeout, a
 * restart) while no query of it runs, pg emits 'error' on the client, and an 'error' event
 * without a listener kills the process. pg-pool listens only while a client sits idle in the
 * pool; a checked-out client had none, not only while held across awaits (a transaction between
 * two statements, a projection handler reading) but also in windows inside pg-pool itself (a
 * pool.query() between its query's end and the release; a client handed to connect() whose
 * caller has not resumed yet, when the server's message arrived in the same network read). The
 * pool emits 'acquire' before it drops its idle listener and 'release' after it put it back, so
 * listening from one to the other leaves no gap. The loss is recorded: the next query on the
 * client fails (not queryable, an unavailability error), and the client is destroyed on release.
 */
export class CheckedOutErrors {
  private readonly lost = new WeakMap<pg.ClientBase, Error>();

  constructor(pool: pg.Pool) {
    const lost = this.lost;
    // A function, not an arrow: the same listener for every client, which it gets as `this`.
    function recordLoss(this: pg.ClientBase, error: Error): void {
      if (!lost.has(this)) lost.set(this, error);
    }
    pool.on('acquire', (client) => client.on('error', recordLoss));
    pool.on('release', (_error, client) => client.removeListener('error', recordLoss));
  }

  /** The error that ended `client`'s session while it was checked out, if one did. */
  lostWith(client: pg.ClientBase): Error | undefined {
    return this.lost.get(client);
  }
}

/** A connection taken from the pool; released once, destroyed when its session was lost. */
export class Checkout {
  constructor(
    readonly client: pg.PoolClient,
    private readonly errors: CheckedOutErrors,
  ) {}

  /** The error that ended the session while checked out, if one did. */
  get lost(): Error | undefined {
    return this.errors.lostWith(this.client);
  }

  /** Hands the client back; destroys it (not reused) when its session was lost or `destroyWith` is given. */
  release(destroyWith?: unknown): void {
    const broken = this.lost ?? (destroyWith === undefined ? undefined : toError(destroyWith));
    this.client.release(broken);
  }
}

export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
