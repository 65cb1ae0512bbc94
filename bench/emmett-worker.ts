// Child process of the PostgreSQL store suite: runs Emmett's side of each workload on request.
import { dumbo, rawSql, type Dumbo } from '@event-driven-io/dumbo'; // Emmett's own driver layer (its dependency).
import {
  getPostgreSQLEventStore,
  postgreSQLEventStoreMessageBatchPuller,
  readMessagesBatch,
  type PostgresEventStore,
} from '@event-driven-io/emmett-postgresql';
import type { EmmettReply, EmmettRequest } from './emmett-side.js';
import { measure, type Measurement } from './timing.js';

const event = (n: number) => ({
  type: 'BenchEvent' as const,
  data: { n, player: 'lebron-james' },
});

interface Opened {
  pool: Dumbo;
  store: PostgresEventStore;
}

let opened: Opened | undefined;

function current(): Opened {
  if (!opened) throw new Error('no Emmett store is open: send "open" first');
  return opened;
}

async function closeCurrent(): Promise<void> {
  const closing = opened;
  opened = undefined;
  // The store closes the dumbo pool it was given.
  await closing?.store.close();
}

/** One append per call, no expected version (Emmett has no idempotency key to pass). */
async function appendSingles(
  store: PostgresEventStore,
  stream: (n: number) => string,
  ns: number[],
) {
  for (const n of ns) await store.appendToStream(stream(n), [event(n)]);
}

const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

async function handle(request: EmmettRequest): Promise<Measurement> {
  switch (request.command) {
    case 'open': {
      await closeCurrent();
      const pool = dumbo({ connectionString: request.url });
      const store = getPostgreSQLEventStore(request.url, { connectionOptions: { dumbo: pool } });
      opened = { pool, store };
      return measure(0, async () => {
        await store.schema.migrate();
      });
    }
    case 'singles': {
      const { store } = current();
      return measure(request.count, () =>
        appendSingles(store, (n) => `s-${n % 50}`, range(request.first, request.count)),
      );
    }
    case 'concurrent': {
      const { store } = current();
      const { callers, perCaller } = request;
      return measure(callers * perCaller, async () => {
        await Promise.all(
          range(0, callers).map((caller) =>
            appendSingles(store, () => `c-${caller}`, range(0, perCaller)),
          ),
        );
      });
    }
    case 'batches': {
      const { store } = current();
      return measure(request.batches * request.size, async () => {
        for (let b = 0; b < request.batches; b++) {
          const events = range(b * request.size, request.size).map(event);
          await store.appendToStream(`b-${b % 50}`, events);
        }
      });
    }
    case 'fill': {
      const { store } = current();
      return measure(request.total, async () => {
        for (let done = 0; done < request.total; done += 1000) {
          await store.appendToStream(`s-${(done / 1000) % 50}`, range(done, 1000).map(event));
        }
      });
    }
    case 'analyze': {
      // Planner statistics for the freshly filled log, as BenchSchemas.analyze gives ours.
      const { pool } = current();
      return measure(0, async () => {
        await pool.execute.command(rawSql('ANALYZE'));
      });
    }
    case 'read':
      return readAllBatches(current().pool, request.batchSize);
    case 'pull':
      return pullAll(current().pool, request.batchSize);
    case 'close':
      await closeCurrent();
      return { operations: 0, seconds: 0 };
  }
}

/** The whole log through `readMessagesBatch`, the gap-safe page read that Emmett's consumers run. */
async function readAllBatches(pool: Dumbo, batchSize: number): Promise<Measurement> {
  let count = 0;
  const m = await measure(0, async () => {
    let after = 0n;
    for (;;) {
      const page = await readMessagesBatch(pool.execute, { after, batchSize });
      count += page.messages.length;
      after = page.currentGlobalPosition;
      if (!page.areMessagesLeft) return;
    }
  });
  return { ...m, operations: count };
}

/**
 * The whole log through `postgreSQLEventStoreMessageBatchPuller`, as a consumer reads it: the same
 * page reads plus its pauses between pages (100 ms after the first, then `pullingFrequencyInMs`).
 */
async function pullAll(pool: Dumbo, batchSize: number): Promise<Measurement> {
  let count = 0;
  const m = await measure(0, async () => {
    const puller = postgreSQLEventStoreMessageBatchPuller({
      executor: pool.execute,
      batchSize,
      pullingFrequencyInMs: 0,
      stopWhen: { noMessagesLeft: true },
      signal: new AbortController().signal,
      eachBatch: async (messages) => {
        count += messages.length;
      },
    });
    await puller.start({ startFrom: 'BEGINNING' });
  });
  return { ...m, operations: count };
}

if (!process.send) {
  console.error('emmett-worker runs as a child of the PostgreSQL store suite (fork with IPC)');
  process.exit(2);
}
process.on('message', (message: { id: number } & EmmettRequest) => {
  const { id, ...request } = message;
  handle(request).then(
    (measurement) => reply({ id, ok: true, measurement }),
    (error: unknown) =>
      reply({
        id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});

function reply(answer: EmmettReply): void {
  process.send!(answer);
}
