import { status, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { aggregate } from './aggregation.js';
import { toMicros, toTimestamp } from './clock.js';
import type { FakeDatabase, ReadScope } from './database.js';
import type { StoredDocument } from './document-store.js';
import { FakeRpcError, invalidArgument, toServiceError } from './errors.js';
import { parseFieldPath, projectFields } from './field-paths.js';
import { parseParent } from './names.js';
import { serverStream, unary } from './rpc.js';
import type {
  BatchGetRequestWire,
  BatchWriteRequestWire,
  BeginTransactionRequestWire,
  CommitRequestWire,
  DocumentMaskWire,
  DocumentWire,
  ListCollectionIdsRequestWire,
  ListDocumentsRequestWire,
  RollbackRequestWire,
  RunAggregationQueryRequestWire,
  RunQueryRequestWire,
  TimestampWire,
} from './wire-types.js';

type DatabaseOf = (name: string) => FakeDatabase;

/** google.firestore.v1.Firestore: the calls @google-cloud/firestore makes (not Listen, not pipelines). */
export function firestoreService(database: DatabaseOf): UntypedServiceImplementation {
  return {
    batchGetDocuments: serverStream((request: BatchGetRequestWire) => {
      const db = database(request.database);
      const scope = db.openRead(request);
      const documents = db.getDocuments(scope, request.documents);
      const responses: object[] = request.documents.map((name, index) => {
        const document = documents[index];
        return document
          ? { found: toDocumentWire(document, request.mask), readTime: toTimestamp(scope.readTime) }
          : { missing: name, readTime: toTimestamp(scope.readTime) };
      });
      return withTransaction(responses, scope);
    }),
    runQuery: serverStream((request: RunQueryRequestWire) => {
      const parent = parseParent(request.parent);
      if (!request.structuredQuery) throw invalidArgument('RunQuery needs a structured_query');
      const db = database(parent.database);
      const scope = db.openRead(request);
      const readTime = toTimestamp(scope.readTime);
      const responses: object[] = db
        .query(scope, parent, request.structuredQuery)
        .map((document) => ({ document: toDocumentWire(document), readTime }));
      return withTransaction(responses, scope);
    }),
    runAggregationQuery: serverStream((request: RunAggregationQueryRequestWire) => {
      const parent = parseParent(request.parent);
      const aggregation = request.structuredAggregationQuery;
      if (!aggregation?.structuredQuery) {
        throw invalidArgument('RunAggregationQuery needs a structured_aggregation_query');
      }
      const db = database(parent.database);
      const scope = db.openRead(request);
      const documents = db.query(scope, parent, aggregation.structuredQuery);
      const result = { aggregateFields: aggregate(documents, aggregation.aggregations) };
      return withTransaction([{ result, readTime: toTimestamp(scope.readTime) }], scope);
    }),
    beginTransaction: unary((request: BeginTransactionRequestWire) => ({
      transaction: database(request.database).begin(request.options).id,
    })),
    commit: unary((request: CommitRequestWire) =>
      database(request.database).commit(request.writes, request.transaction),
    ),
    rollback: unary((request: RollbackRequestWire) => {
      database(request.database).rollback(request.transaction);
      return {};
    }),
    batchWrite: unary(async (request: BatchWriteRequestWire) => {
      const outcomes = await database(request.database).writeEach(request.writes);
      return {
        writeResults: outcomes.map((outcome) =>
          outcome instanceof Error ? {} : outcome.writeResults[0],
        ),
        status: outcomes.map((outcome) => {
          if (!(outcome instanceof Error)) return { code: status.OK, message: '' };
          const error = toServiceError(outcome);
          return { code: error.code, message: error.details };
        }),
      };
    }),
    listDocuments: unary((request: ListDocumentsRequestWire) => {
      const parent = parseParent(request.parent);
      if (request.consistencySelector === 'transaction') {
        throw new FakeRpcError(
          status.UNIMPLEMENTED,
          'The Firestore fake lists documents outside transactions only',
        );
      }
      const at = request.readTime ? toMicros(request.readTime) : undefined;
      const listed = database(parent.database).listDocuments(
        parent,
        request.collectionId,
        request.showMissing,
        at,
      );
      return {
        documents: listed.map(({ name, document }) =>
          document ? toDocumentWire(document, request.mask) : { name, fields: {} },
        ),
        nextPageToken: '',
      };
    }),
    listCollectionIds: unary((request: ListCollectionIdsRequestWire) => {
      const parent = parseParent(request.parent);
      return {
        collectionIds: database(parent.database).listCollectionIds(parent),
        nextPageToken: '',
      };
    }),
  };
}

function toDocumentWire(document: StoredDocument, mask?: DocumentMaskWire | null): DocumentWire {
  const fields = mask
    ? projectFields(document.fields, mask.fieldPaths.map(parseFieldPath))
    : document.fields;
  return {
    name: document.name,
    fields,
    createTime: toTimestamp(document.createTime),
    updateTime: toTimestamp(document.updateTime),
  };
}

/** Always at least one response (it carries the read time); the first carries a new transaction's id. */
function withTransaction(responses: object[], scope: ReadScope): object[] {
  const readTime: TimestampWire = toTimestamp(scope.readTime);
  const all = responses.length > 0 ? responses : [{ readTime }];
  if (scope.newTransactionId) all[0] = { ...all[0], transaction: scope.newTransactionId };
  return all;
}
