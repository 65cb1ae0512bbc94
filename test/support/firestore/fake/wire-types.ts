// The Firestore v1 messages as proto-loader hands them over (camelCase, int64 as strings, defaults
// filled in, a oneof's member named by its virtual field), limited to the fields the fake reads.

export interface TimestampWire {
  seconds: string;
  nanos: number;
}

export type ValueWire =
  | { valueType: 'nullValue'; nullValue: string }
  | { valueType: 'booleanValue'; booleanValue: boolean }
  | { valueType: 'integerValue'; integerValue: string }
  | { valueType: 'doubleValue'; doubleValue: number }
  | { valueType: 'timestampValue'; timestampValue: TimestampWire }
  | { valueType: 'stringValue'; stringValue: string }
  | { valueType: 'bytesValue'; bytesValue: Buffer }
  | { valueType: 'referenceValue'; referenceValue: string }
  | { valueType: 'geoPointValue'; geoPointValue: { latitude: number; longitude: number } }
  | { valueType: 'arrayValue'; arrayValue: { values: ValueWire[] } }
  | { valueType: 'mapValue'; mapValue: { fields: Fields } };

export type Fields = Record<string, ValueWire>;

export interface DocumentWire {
  name: string;
  fields: Fields;
  createTime?: TimestampWire | null;
  updateTime?: TimestampWire | null;
}

export interface DocumentMaskWire {
  fieldPaths: string[];
}

export interface TransactionOptionsWire {
  mode?: 'readOnly' | 'readWrite';
  readOnly?: { readTime?: TimestampWire };
  readWrite?: { retryTransaction: Buffer };
}

/** The `consistency_selector` oneof of the read requests. */
export interface ConsistencyWire {
  consistencySelector?: 'transaction' | 'newTransaction' | 'readTime';
  transaction?: Buffer;
  newTransaction?: TransactionOptionsWire;
  readTime?: TimestampWire;
}

export interface PreconditionWire {
  conditionType?: 'exists' | 'updateTime';
  exists?: boolean;
  updateTime?: TimestampWire;
}

export interface FieldTransformWire {
  fieldPath: string;
  transformType?:
    | 'setToServerValue'
    | 'increment'
    | 'maximum'
    | 'minimum'
    | 'appendMissingElements'
    | 'removeAllFromArray';
  setToServerValue?: string;
  increment?: ValueWire;
  maximum?: ValueWire;
  minimum?: ValueWire;
  appendMissingElements?: { values: ValueWire[] };
  removeAllFromArray?: { values: ValueWire[] };
}

export interface WriteWire {
  operation?: 'update' | 'delete' | 'transform';
  update?: DocumentWire;
  delete?: string;
  transform?: { document: string; fieldTransforms: FieldTransformWire[] };
  updateMask: DocumentMaskWire | null;
  updateTransforms: FieldTransformWire[];
  currentDocument: PreconditionWire | null;
}

export interface FieldReferenceWire {
  fieldPath: string;
}

export interface FilterWire {
  filterType?: 'compositeFilter' | 'fieldFilter' | 'unaryFilter';
  compositeFilter?: { op: string; filters: FilterWire[] };
  fieldFilter?: { field: FieldReferenceWire; op: string; value: ValueWire };
  unaryFilter?: { op: string; field?: FieldReferenceWire };
}

export interface OrderWire {
  field: FieldReferenceWire;
  direction: string;
}

export interface CursorWire {
  values: ValueWire[];
  before: boolean;
}

export interface StructuredQueryWire {
  select: { fields: FieldReferenceWire[] } | null;
  from: { collectionId: string; allDescendants: boolean }[];
  where: FilterWire | null;
  orderBy: OrderWire[];
  startAt: CursorWire | null;
  endAt: CursorWire | null;
  offset: number;
  limit: { value: number } | null;
  findNearest: unknown;
}

export interface AggregationWire {
  alias: string;
  operator?: 'count' | 'sum' | 'avg';
  count?: { upTo: { value: string } | null };
  sum?: { field: FieldReferenceWire };
  avg?: { field: FieldReferenceWire };
}

export interface BatchGetRequestWire extends ConsistencyWire {
  database: string;
  documents: string[];
  mask: DocumentMaskWire | null;
}

export interface RunQueryRequestWire extends ConsistencyWire {
  parent: string;
  structuredQuery: StructuredQueryWire | null;
  explainOptions: unknown;
}

export interface RunAggregationQueryRequestWire extends ConsistencyWire {
  parent: string;
  structuredAggregationQuery: {
    structuredQuery: StructuredQueryWire | null;
    aggregations: AggregationWire[];
  } | null;
}

export interface CommitRequestWire {
  database: string;
  writes: WriteWire[];
  transaction: Buffer;
}

export interface BatchWriteRequestWire {
  database: string;
  writes: WriteWire[];
}

export interface BeginTransactionRequestWire {
  database: string;
  options: TransactionOptionsWire | null;
}

export interface RollbackRequestWire {
  database: string;
  transaction: Buffer;
}

export interface ListDocumentsRequestWire extends ConsistencyWire {
  parent: string;
  collectionId: string;
  mask: DocumentMaskWire | null;
  showMissing: boolean;
}

export interface ListCollectionIdsRequestWire {
  parent: string;
}
