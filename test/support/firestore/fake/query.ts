import type { StoredDocument } from './document-store.js';
import { FakeRpcError, invalidArgument } from './errors.js';
import { getField, NAME_FIELD, parseFieldPath, projectFields } from './field-paths.js';
import { isPrefix, parseDocumentName, type ResourcePath } from './names.js';
import { compareValues, isNaNValue, typeOrder, valuesEqual } from './values.js';
import type { CursorWire, FilterWire, StructuredQueryWire, ValueWire } from './wire-types.js';
import { status } from '@grpc/grpc-js';

interface Order {
  path: string[];
  descending: boolean;
}

const INEQUALITY_OPS = new Set([
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'NOT_EQUAL',
  'NOT_IN',
  'IS_NOT_NULL',
  'IS_NOT_NAN',
]);

/**
 * Runs a structured query over `documents` (the database as of the read time): collection or
 * collection group below `parent`, filters, ordering (explicit, then inequality fields, then
 * __name__), cursors, offset, limit and projection.
 */
export function runStructuredQuery(
  documents: StoredDocument[],
  parent: ResourcePath,
  query: StructuredQueryWire,
): StoredDocument[] {
  if (query.findNearest) {
    throw new FakeRpcError(status.UNIMPLEMENTED, 'The Firestore fake does not run vector queries');
  }
  if (query.from.length !== 1)
    throw invalidArgument('A query needs exactly one collection selector');
  const orders = effectiveOrders(query);
  const inScope = documents.filter(
    (document) =>
      inCollection(document.name, parent, query.from[0]!) &&
      (!query.where || matches(document, query.where)) &&
      orders.every((order) => valueAt(document, order.path) !== undefined),
  );
  inScope.sort((a, b) => compareByOrders(a, b, orders));
  const positioned = inScope.filter(
    (document) =>
      (!query.startAt || afterStart(document, query.startAt, orders)) &&
      (!query.endAt || beforeEnd(document, query.endAt, orders)),
  );
  const limit = query.limit ? query.limit.value : Number.POSITIVE_INFINITY;
  const page = positioned.slice(query.offset, query.offset + limit);
  if (!query.select) return page;
  const paths = query.select.fields
    .map((field) => parseFieldPath(field.fieldPath))
    .filter((path) => path.join('.') !== NAME_FIELD);
  return page.map((document) => ({ ...document, fields: projectFields(document.fields, paths) }));
}

function inCollection(
  name: string,
  parent: ResourcePath,
  from: { collectionId: string; allDescendants: boolean },
): boolean {
  const { database, segments } = parseDocumentName(name);
  if (database !== parent.database || !isPrefix(parent.segments, segments)) return false;
  const collectionMatches =
    from.collectionId === '' || segments[segments.length - 2] === from.collectionId;
  if (from.allDescendants) return segments.length > parent.segments.length && collectionMatches;
  return segments.length === parent.segments.length + 2 && collectionMatches;
}

/** Explicit orders, then inequality fields (by name) not yet ordered, then __name__. */
function effectiveOrders(query: StructuredQueryWire): Order[] {
  const orders = query.orderBy.map((order) => ({
    path: parseFieldPath(order.field.fieldPath),
    descending: order.direction === 'DESCENDING',
  }));
  const descending = orders[orders.length - 1]?.descending ?? false;
  const ordered = new Set(orders.map((order) => order.path.join('.')));
  const inequalityFields = [...inequalityPaths(query.where)]
    .filter((path) => !ordered.has(path))
    .sort();
  for (const path of inequalityFields) orders.push({ path: parseFieldPath(path), descending });
  if (!ordered.has(NAME_FIELD)) orders.push({ path: [NAME_FIELD], descending });
  return orders;
}

function inequalityPaths(filter: FilterWire | null | undefined): Set<string> {
  const paths = new Set<string>();
  const visit = (current: FilterWire) => {
    if (current.compositeFilter) current.compositeFilter.filters.forEach(visit);
    const field = current.fieldFilter ?? current.unaryFilter;
    if (field?.field && INEQUALITY_OPS.has(field.op)) {
      paths.add(parseFieldPath(field.field.fieldPath).join('.'));
    }
  };
  if (filter) visit(filter);
  return paths;
}

function valueAt(document: StoredDocument, path: string[]): ValueWire | undefined {
  if (path.length === 1 && path[0] === NAME_FIELD) {
    return { valueType: 'referenceValue', referenceValue: document.name };
  }
  return getField(document.fields, path);
}

function matches(document: StoredDocument, filter: FilterWire): boolean {
  if (filter.compositeFilter) {
    const { op, filters } = filter.compositeFilter;
    if (op === 'OR') return filters.some((child) => matches(document, child));
    return filters.every((child) => matches(document, child));
  }
  if (filter.unaryFilter) {
    const value = valueAt(document, parseFieldPath(filter.unaryFilter.field?.fieldPath ?? ''));
    if (value === undefined) return false;
    const isNull = value.valueType === 'nullValue';
    switch (filter.unaryFilter.op) {
      case 'IS_NULL':
        return isNull;
      case 'IS_NOT_NULL':
        return !isNull;
      case 'IS_NAN':
        return isNaNValue(value);
      case 'IS_NOT_NAN':
        return !isNull && !isNaNValue(value);
    }
    throw invalidArgument(`Unsupported unary filter ${filter.unaryFilter.op}`);
  }
  if (filter.fieldFilter) {
    const { field, op, value: operand } = filter.fieldFilter;
    const value = valueAt(document, parseFieldPath(field.fieldPath));
    return value !== undefined && fieldFilterMatches(value, op, operand);
  }
  throw invalidArgument('A filter must be a composite, field or unary filter');
}

function fieldFilterMatches(value: ValueWire, op: string, operand: ValueWire): boolean {
  const list = operand.valueType === 'arrayValue' ? operand.arrayValue.values : [];
  const isNull = value.valueType === 'nullValue';
  switch (op) {
    case 'EQUAL':
      return valuesEqual(value, operand);
    case 'NOT_EQUAL':
      return !isNull && !valuesEqual(value, operand);
    case 'LESS_THAN':
    case 'LESS_THAN_OR_EQUAL':
    case 'GREATER_THAN':
    case 'GREATER_THAN_OR_EQUAL':
      return rangeMatches(value, op, operand);
    case 'IN':
      return !isNull && list.some((element) => valuesEqual(value, element));
    case 'NOT_IN':
      return !isNull && !list.some((element) => valuesEqual(value, element));
    case 'ARRAY_CONTAINS':
      return (
        value.valueType === 'arrayValue' &&
        value.arrayValue.values.some((e) => valuesEqual(e, operand))
      );
    case 'ARRAY_CONTAINS_ANY':
      return (
        value.valueType === 'arrayValue' &&
        value.arrayValue.values.some((element) =>
          list.some((wanted) => valuesEqual(element, wanted)),
        )
      );
  }
  throw invalidArgument(`Unsupported field filter operator ${op}`);
}

/** Range filters only match values of the operand's type class; NaN matches none. */
function rangeMatches(value: ValueWire, op: string, operand: ValueWire): boolean {
  if (typeOrder(value) !== typeOrder(operand) || isNaNValue(value) || isNaNValue(operand))
    return false;
  const order = compareValues(value, operand);
  if (op === 'LESS_THAN') return order < 0;
  if (op === 'LESS_THAN_OR_EQUAL') return order <= 0;
  if (op === 'GREATER_THAN') return order > 0;
  return order >= 0;
}

function compareByOrders(a: StoredDocument, b: StoredDocument, orders: Order[]): number {
  for (const order of orders) {
    const result = compareValues(valueAt(a, order.path)!, valueAt(b, order.path)!);
    if (result !== 0) return order.descending ? -result : result;
  }
  return 0;
}

/** The document's position against a cursor: negative before it, 0 at it, positive after it. */
function compareToCursor(document: StoredDocument, cursor: CursorWire, orders: Order[]): number {
  if (cursor.values.length > orders.length) {
    throw invalidArgument('A cursor has more values than the query has orderings');
  }
  for (const [index, cursorValue] of cursor.values.entries()) {
    const order = orders[index]!;
    const result = compareValues(valueAt(document, order.path)!, cursorValue);
    if (result !== 0) return order.descending ? -result : result;
  }
  return 0;
}

function afterStart(document: StoredDocument, cursor: CursorWire, orders: Order[]): boolean {
  const position = compareToCursor(document, cursor, orders);
  return position > 0 || (position === 0 && cursor.before);
}

function beforeEnd(document: StoredDocument, cursor: CursorWire, orders: Order[]): boolean {
  const position = compareToCursor(document, cursor, orders);
  return position < 0 || (position === 0 && !cursor.before);
}
