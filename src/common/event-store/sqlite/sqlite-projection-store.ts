import type { Clock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import { CheckpointConflictError } from '../event-store.errors.js';
import type { ProjectionStore, ReadModelTransaction } from '../event-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { SqliteReadModelTransaction } from './sqlite-read-models.js';

export class SqliteProjectionStore implements ProjectionStore {
  constructor(
    private readonly sqlite: SqliteDatabase,
    private readonly clock: Clock,
  ) {}

  checkpoint(name: string): Promise<Position | null> {
    return this.sqlite.exclusive(`read checkpoint of ${name}`, () => this.readCheckpoint(name));
  }

  commit(
    name: string,
    expected: Position | null,
    next: Position,
    apply: (tx: ReadModelTransaction) => Promise<void>,
  ): Promise<void> {
    return this.sqlite.transaction(
      `commit projection ${name}`,
      async () => {
        this.moveCheckpoint(name, expected, next);
        const tx = new SqliteReadModelTransaction(this.sqlite);
        await apply(tx);
        tx.flush();
      },
      'relaxed',
    );
  }

  /** Moves a checkpoint inside the caller's transaction (the outbox dispatcher shares it). */
  moveCheckpoint(name: string, expected: Position | null, next: Position): void {
    const actual = this.readCheckpoint(name);
    if (actual !== expected) throw new CheckpointConflictError(name, expected, actual);
    this.sqlite
      .statement(
        'INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
      )
      .run(name, next, this.clock.now().toISOString());
  }

  reset(name: string, collections: readonly string[]): Promise<void> {
    return this.sqlite.transaction(`reset projection ${name}`, () => {
      const remove = this.sqlite.statement('DELETE FROM read_models WHERE collection = ?');
      for (const collection of collections) remove.run(collection);
      this.sqlite.statement('DELETE FROM projection_checkpoints WHERE name = ?').run(name);
    });
  }

  private readCheckpoint(name: string): Position | null {
    const row = this.sqlite
      .statement('SELECT position FROM projection_checkpoints WHERE name = ?')
      .get(name);
    return row?.position === undefined || row.position === null ? null : String(row.position);
  }
}
