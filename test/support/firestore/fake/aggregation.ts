import type { StoredDocument } from './document-store.js';
import { invalidArgument } from './errors.js';
import { getField, parseFieldPath } from './field-paths.js';
import { isNumber, numberOf } from './values.js';
import type { AggregationWire, Fields, ValueWire } from './wire-types.js';

const INT64_MAX = 2n ** 63n - 1n;

/** count / sum / avg over a query's results, keyed by alias (RunAggregationQuery). */
export function aggregate(documents: StoredDocument[], aggregations: AggregationWire[]): Fields {
  const result: Fields = {};
  for (const aggregation of aggregations) {
    result[aggregation.alias] = aggregateOne(documents, aggregation);
  }
  return result;
}

function aggregateOne(documents: StoredDocument[], aggregation: AggregationWire): ValueWire {
  if (aggregation.operator === 'count') {
    const upTo = aggregation.count?.upTo
      ? Number(aggregation.count.upTo.value)
      : Number.POSITIVE_INFINITY;
    return { valueType: 'integerValue', integerValue: String(Math.min(documents.length, upTo)) };
  }
  const field = aggregation.sum?.field ?? aggregation.avg?.field;
  if (!field) throw invalidArgument(`Unsupported aggregation ${aggregation.alias}`);
  const path = parseFieldPath(field.fieldPath);
  const numbers = documents.map((document) => getField(document.fields, path)).filter(isNumber);
  if (aggregation.operator === 'avg') {
    if (numbers.length === 0) return { valueType: 'nullValue', nullValue: 'NULL_VALUE' };
    const total = numbers.reduce((sum, value) => sum + numberOf(value), 0);
    return { valueType: 'doubleValue', doubleValue: total / numbers.length };
  }
  if (numbers.every((value) => value.valueType === 'integerValue')) {
    const total = numbers.reduce((sum, value) => sum + BigInt(value.integerValue), 0n);
    if (total <= INT64_MAX && total >= -INT64_MAX - 1n) {
      return { valueType: 'integerValue', integerValue: String(total) };
    }
  }
  const total = numbers.reduce((sum, value) => sum + numberOf(value), 0);
  return { valueType: 'doubleValue', doubleValue: total };
}
