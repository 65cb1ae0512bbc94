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
import { noOperations, type BilledOperations } from './billed-operations.js';
import { firestoreServiceDefinition } from './firestore-protos.js';

const passBytes = (bytes: Buffer) => bytes;

interface CommitRequestShape {
  writes?: Array<{ update?: unknown; delete?: unknown; transform?: unknown }>;
}
interface BatchGetResponseShape {
  found?: unknown;
  missing?: unknown;
}
interface RunQueryResponseShape {
  document?: unknown;
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
    return { ...this.counted, calls: { ...this.counted.calls } };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.upstream.close();
  }
}

/** The Firestore service with every method's messages left as bytes. */
function passThroughDefinition(): Record<string, MethodDefinition<Buffer, Buffer>> {
  return Object.fromEntries(
    Object.entries(firestoreServiceDefinition()).map(([name, method]) => [
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
  for (const [name, method] of Object.entries(firestoreServiceDefinition())) {
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
            if (!error) billing.succeeded();
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

/** What one call is billed, added to the totals once it succeeds (a failed commit costs nothing). */
class CallBilling {
  private reads = 0;
  private writes = 0;
  private deletes = 0;
  private documents = 0;

  constructor(
    private readonly name: string,
    private readonly method: MethodDefinition<unknown, unknown>,
    private readonly count: (update: (ops: BilledOperations) => void) => void,
  ) {}

  request(bytes: Buffer): void {
    if (this.name !== 'Commit') return;
    const commit = this.method.requestDeserialize(bytes) as CommitRequestShape;
    for (const write of commit.writes ?? []) {
      if (write.delete) this.deletes += 1;
      else this.writes += 1;
    }
  }

  response(bytes: Buffer): void {
    if (this.name === 'BatchGetDocuments') {
      const answer = this.method.responseDeserialize(bytes) as BatchGetResponseShape;
      if (answer.found || answer.missing) this.reads += 1;
    } else if (this.name === 'RunQuery') {
      const answer = this.method.responseDeserialize(bytes) as RunQueryResponseShape;
      if (answer.document) {
        this.reads += 1;
        this.documents += 1;
      }
    }
  }

  succeeded(): void {
    // A query that returns nothing is billed one read; an aggregation one per 1,000 index entries (at least one).
    if ((this.name === 'RunQuery' && this.documents === 0) || this.name === 'RunAggregationQuery') {
      this.reads += 1;
    }
    this.count((ops) => {
      ops.calls[this.name] = (ops.calls[this.name] ?? 0) + 1;
      ops.reads += this.reads;
      ops.writes += this.writes;
      ops.deletes += this.deletes;
    });
  }
}
