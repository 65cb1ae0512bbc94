import type { Clock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import { CheckpointConflictError } from '../event-store.errors.js';
import type { ProjectionStore, ReadModelTransaction } from '../event-store.port.js';
import type { PostgresPool, Queryable } from './postgres-pool.js';
import { PostgresReadModelTransaction } from './postgres-read-models.js';

export class PostgresProjectionStore implements ProjectionStore {
  constructor(
    private readonly pool: PostgresPool,
    private readonly clock: Clock,
  ) {}

  async checkpoint(name: string): Promise<Position | null> {
    const [row] = await this.pool.query<{ position: string | null }>(
      `read checkpoint of ${name}`,
      'SELECT position FROM projection_checkpoints WHERE name = $1',
      [name],
    );
    return row?.position ?? null;
  }

  commit(
    name: string,
    expected: Position | null,
    next: Position,
    apply: (tx: ReadModelTransaction) => Promise<void>,
  ): Promise<void> {
    // The handler's reads come first and its writes are buffered, so the transaction takes its
    // transaction id (at the first write: the checkpoint) only for the last two statements.
    // While a transaction holds an id, every newer append in the cluster waits to be readable
    // (see postgres-visibility.ts); a handler reading one document per event held it for tens of
    // milliseconds. The compare-and-set still decides: a concurrent committer that moved the
    // checkpoint first makes this one fail (CheckpointConflictError) and roll back.
    return this.pool.transaction(`commit projection ${name}`, async (client) => {
      const tx = new PostgresReadModelTransaction(client);
      await apply(tx);
      await this.moveCheckpoint(client, name, expected, next);
      await tx.flush();
    });
  }

  /**
   * Compare-and-set of a checkpoint inside the caller's transaction (the outbox shares it). The
   * conditional write locks the row, so a concurrent committer waits and then sees the new value.
   */
  async moveCheckpoint(
    client: Queryable,
    name: string,
    expected: Position | null,
    next: Position,
  ): Promise<void> {
    const updatedAt = this.clock.now().toISOString();
    const moved =
      expected === null
        ? await client.query(
            `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
             WHERE projection_checkpoints.position IS NULL`,
            [name, next, updatedAt],
          )
        : await client.query(
            `UPDATE projection_checkpoints SET position = $2, updated_at = $3
             WHERE name = $1 AND position = $4`,
            [name, next, updatedAt, expected],
          );
    if (moved.rowCount === 1) return;
    const { rows } = await client.query<{ position: string | null }>(
      'SELECT position FROM projection_checkpoints WHERE name = $1',
      [name],
    );
    throw new CheckpointConflictError(name, expected, rows[0]?.position ?? null);
  }

  reset(name: string, collections: readonly string[]): Promise<void> {
    return this.pool.transaction(`reset projection ${name}`, async (client) => {
      await client.query('DELETE FROM read_models WHERE collection = ANY($1::text[])', [
        [...collections],
      ]);
      await client.query('DELETE FROM projection_checkpoints WHERE name = $1', [name]);
    });
  }
}
