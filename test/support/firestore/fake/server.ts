import { Server, ServerCredentials } from '@grpc/grpc-js';
import { FakeClock } from './clock.js';
import { FakeDatabase } from './database.js';
import { parseParent, projectOfDatabase } from './names.js';
import { firestoreServiceDefinition } from './protos.js';
import { firestoreService } from './service.js';
import type { LockWaits } from './transactions.js';

const HOST = '127.0.0.1';

/**
 * The emulator aborts a transaction's commit after about 2 s of waiting for a lock; a plain write
 * waits much longer for the transactions that read its documents (the client's commit deadline is
 * 60 s, and it retries ABORTED).
 */
const DEFAULT_LOCK_WAITS: LockWaits = { transactionMs: 2_000, writeMs: 30_000 };

/**
 * An in-process Firestore v1 gRPC server (the subset @google-cloud/firestore uses) on 127.0.0.1.
 * Each `projects/<p>/databases/<d>` is its own database, created on first use, in memory.
 */
export class FakeFirestoreServer {
  private readonly databases = new Map<string, FakeDatabase>();
  private readonly clock = new FakeClock();

  private constructor(
    private readonly server: Server,
    private readonly waits: LockWaits,
    readonly port: number,
  ) {}

  static async start(waits: LockWaits = DEFAULT_LOCK_WAITS): Promise<FakeFirestoreServer> {
    const server = new Server();
    const fake = new FakeFirestoreServer(server, waits, 0);
    server.addService(
      firestoreServiceDefinition(),
      firestoreService((name) => fake.database(name)),
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${HOST}:0`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    return Object.assign(fake, { port });
  }

  get host(): string {
    return `${HOST}:${this.port}`;
  }

  /** Drops every document of `projectId` (all its databases), like the emulator's DELETE. */
  reset(projectId: string): void {
    for (const database of this.databases.values()) {
      if (projectOfDatabase(database.name) === projectId) database.reset();
    }
  }

  async stop(): Promise<void> {
    for (const database of this.databases.values()) database.reset();
    this.server.forceShutdown();
    await Promise.resolve();
  }

  private database(name: string): FakeDatabase {
    // Validates the name: "projects/p/databases/d".
    parseParent(`${name}/documents`);
    let database = this.databases.get(name);
    if (!database) {
      database = new FakeDatabase(name, this.clock, this.waits);
      this.databases.set(name, database);
    }
    return database;
  }
}
