import {
  Client,
  credentials,
  Server,
  ServerCredentials,
  type Metadata,
  type MethodDefinition,
  type ServiceError,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import {
  copyOperations,
  NO_COLLECTION,
  noOperations,
  type BilledOperations,
  type OperationCounts,
} from './billed-operations.js';
import { firestoreServiceDefinition } from '../../test/support/firestore/fake/protos.js';

const passBytes = (bytes: Buffer) => bytes;

type WriteShape = {
  update?: { name?: string };
  delete?: string;
  transform?: { document?: string };
};
interface CommitRequestShape {
  writes?: WriteShape[];
}
interface BatchWriteResponseShape {
  status?: Array<{ code?: number }>;
}
interface BatchGetResponseShape {
  found?: { name?: string };
  missing?: string;
}
type StructuredQueryShape = {
  from?: Array<{ collectionId?: string; allDescendants?: boolean }>;
};
interface RunQueryRequestShape {
  parent?: string;
  structuredQuery?: StructuredQueryShape;
  structuredAggregationQuery?: { structuredQuery?: StructuredQueryShape };
}
interface RunQueryResponseShape {
  document?: { name?: string };
}
interface AggregationResponseShape {
  result?: { aggregateFields?: Record<string, { integerValue?: string }> };
}

/**
 * A gRPC pass-through in front of a Firestore endpoint (the emulator) that counts the operations
 * Firestore bills, by decoding what goes by: the emulator has no usage counters of its own. Bytes
 * are forwarded untouched; status, metadata and cancellation pass both ways.
 */
export class CountingFirestoreProxy {
  private counted = noOperations();

  private constructor(
    private readonly server: Server,
    private readonly upstream: Client,
    readonly host: string,
  ) {}

  static async start(upstreamHost: string): Promise<CountingFirestoreProxy> {
    const upstream = new Client(upstreamHost, credentials.createInsecure());
    const server = new Server();
    const holder: { proxy?: CountingFirestoreProxy } = {};
    const count = (update: (ops: BilledOperations) => void) => {
      if (holder.proxy) update(holder.proxy.counted);
    };
    server.addService(passThroughDefinition(), handlers(upstream, count));
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    holder.proxy = new CountingFirestoreProxy(server, upstream, `127.0.0.1:${port}`);
    return holder.proxy;
  }

  /** The operations counted so far (a copy). */
  snapshot(): BilledOperations {
    return copyOperations(this.counted);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.upstream.close();
  }
}

/** The Firestore service with every method's messages left as bytes. */
function passThroughDefinition(): Record<string, MethodDefinition<Buffer, Buffer>> {
  return Object.fromEntries(
    Object.entries(firestoreServiceDefinition({ defaults: false })).map(([name, method]) => [
      name,
      {
        ...method,
        requestSerialize: passBytes,
        requestDeserialize: passBytes,
        responseSerialize: passBytes,
        responseDeserialize: passBytes,
      },
    ]),
  );
}

function handlers(
  upstream: Client,
  count: (update: (ops: BilledOperations) => void) => void,
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(firestoreServiceDefinition({ defaults: false }))) {
    const path = method.path;
    if (!method.requestStream && !method.responseStream) {
      implementation[name] = (
        call: ServerUnaryCall<Buffer, Buffer>,
        callback: sendUnaryData<Buffer>,
      ) => {
        const billing = new CallBilling(name, method, count);
        billing.request(call.request);
        upstream.makeUnaryRequest(
          path,
          passBytes,
          passBytes,
          call.request,
          call.metadata,
          (error: ServiceError | null, response?: Buffer) => {
            if (!error) {
              if (response) billing.answered(response);
              billing.succeeded();
            }
            callback(error, response);
          },
        );
      };
    } else if (!method.requestStream) {
      implementation[name] = (call: ServerWritableStream<Buffer, Buffer>) => {
        const billing = new CallBilling(name, method, count);
        billing.request(call.request);
        const stream = upstream.makeServerStreamRequest(
          path,
          passBytes,
          passBytes,
          call.request,
          call.metadata,
        );
        stream.on('metadata', (metadata: Metadata) => call.sendMetadata(metadata));
        stream.on('data', (chunk: Buffer) => {
          billing.response(chunk);
          call.write(chunk);
        });
        stream.on('end', () => {
          billing.succeeded();
          call.end();
        });
        stream.on('error', (error: ServiceError) => call.emit('error', error));
        call.on('cancelled', () => stream.cancel());
      };
    } else {
      // Listen and Write: the store uses neither; forwarded and counted as calls only.
      implementation[name] = (call: ServerDuplexStream<Buffer, Buffer>) => {
        new CallBilling(name, method, count).succeeded();
        const stream = upstream.makeBidiStreamRequest(path, passBytes, passBytes, call.metadata);
        call.on('data', (chunk: Buffer) => stream.write(chunk));
        call.on('end', () => stream.end());
        stream.on('data', (chunk: Buffer) => call.write(chunk));
        stream.on('end', () => call.end());
        stream.on('error', (error: ServiceError) => call.emit('error', error));
        call.on('cancelled', () => stream.cancel());
      };
    }
  }
  return implementation;
}

/** Where a document lives: its parent collection's path below `documents/` (ids of nested parents kept). */
export function collectionOf(documentName: string): string {
  const below = documentName.split('/documents/')[1] ?? documentName;
  return below.split('/').slice(0, -1).join('/');
}

type Kind = keyof OperationCounts;

/** What one call is billed, added to the totals once it succeeds (a failed commit costs nothing). */
class CallBilling {
  private readonly pending: Array<{ kind: Kind; collection: string; count: number }> = [];
  private writes: Array<{ kind: Kind; collection: string }> = [];
  private results = 0;
  /** The collection an empty query is billed to. */
  private queried = '';

  constructor(
    private readonly name: string,
    private readonly method: MethodDefinition<unknown, unknown>,
    private readonly count: (update: (ops: BilledOperations) => void) => void,
  ) {}

  private bill(kind: Kind, collection: string, count = 1): void {
    this.pending.push({ kind, collection, count });
  }

  request(bytes: Buffer): void {
    if (this.name === 'Commit' || this.name === 'BatchWrite') {
      const commit = this.method.requestDeserialize(bytes) as CommitRequestShape;
      this.writes = (commit.writes ?? []).map((write) =>
        write.delete
          ? { kind: 'deletes', collection: collectionOf(write.delete) }
          : {
              kind: 'writes',
              collection: collectionOf(write.update?.name ?? write.transform?.document ?? ''),
            },
      );
      // A commit is all or nothing; BatchWrite answers each write (see answered()).
      if (this.name === 'Commit') for (const w of this.writes) this.bill(w.kind, w.collection);
    } else if (this.name === 'RunQuery' || this.name === 'RunAggregationQuery') {
      const query = this.method.requestDeserialize(bytes) as RunQueryRequestShape;
      const parent = (query.parent ?? '').split('/documents')[1]?.replace(/^\//, '') ?? '';
      const structured = query.structuredQuery ?? query.structuredAggregationQuery?.structuredQuery;
      const from = structured?.from?.[0];
      const collection = `${from?.allDescendants ? '**/' : ''}${from?.collectionId ?? ''}`;
      this.queried = parent ? `${parent}/${collection}` : collection;
    }
  }

  response(bytes: Buffer): void {
    if (this.name === 'BatchGetDocuments') {
      const answer = this.method.responseDeserialize(bytes) as BatchGetResponseShape;
      const name = answer.found?.name ?? answer.missing;
      if (name) this.bill('reads', collectionOf(name));
    } else if (this.name === 'RunQuery') {
      const answer = this.method.responseDeserialize(bytes) as RunQueryResponseShape;
      if (answer.document) {
        this.bill('reads', collectionOf(answer.document.name ?? ''));
        this.results += 1;
      }
    } else if (this.name === 'RunAggregationQuery') {
      const answer = this.method.responseDeserialize(bytes) as AggregationResponseShape;
      if (!answer.result) return;
      this.results += 1;
      const counted = Object.values(answer.result?.aggregateFields ?? {}).map((value) =>
        Number(value.integerValue ?? 0),
      );
      // One read per 1,000 index entries the aggregation went through (a count says how many).
      this.bill('reads', this.queried, Math.max(1, Math.ceil(Math.max(0, ...counted) / 1000)));
    }
  }

  /** BatchWrite's unary answer: each write has its own status, and only applied ones are billed. */
  answered(bytes: Buffer): void {
    if (this.name !== 'BatchWrite') return;
    const answer = this.method.responseDeserialize(bytes) as BatchWriteResponseShape;
    this.writes.forEach((write, index) => {
      if ((answer.status?.[index]?.code ?? 0) === 0) this.bill(write.kind, write.collection);
    });
  }

  succeeded(): void {
    // A query that returns nothing is billed one read (an aggregation always answers one result).
    const query = this.name === 'RunQuery' || this.name === 'RunAggregationQuery';
    if (query && this.results === 0) this.bill('reads', this.queried);
    const entry = (ops: BilledOperations, collection: string) =>
      (ops.byCollection[collection] ??= { reads: 0, writes: 0, deletes: 0, rpcs: 0 });
    this.count((ops) => {
      ops.calls[this.name] = (ops.calls[this.name] ?? 0) + 1;
      entry(ops, this.pending[0]?.collection ?? NO_COLLECTION).rpcs += 1;
      for (const { kind, collection, count } of this.pending) {
        ops[kind] += count;
        entry(ops, collection)[kind] += count;
      }
    });
  }
}
