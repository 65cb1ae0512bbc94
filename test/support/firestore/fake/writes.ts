import { toMicros, toTimestamp } from './clock.js';
import type { StoredDocument } from './document-store.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './errors.js';
import { deleteField, getField, parseFieldPath, setField } from './field-paths.js';
import { compareValues, identicalFields, isNumber, isSupportedValue, numberOf } from './values.js';
import type { FieldTransformWire, Fields, ValueWire, WriteWire } from './wire-types.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface AppliedWrite {
  /** The document after the write: `current` itself when the write changed nothing. */
  document: StoredDocument | undefined;
  transformResults: ValueWire[];
}

/** The name of the document a write touches. */
export function writeTarget(write: WriteWire): string {
  const name = write.update?.name ?? write.delete ?? write.transform?.document;
  if (write.operation === undefined || name === undefined) {
    throw invalidArgument('A write must have an update, a delete or a transform');
  }
  return name;
}

/** Applies one write of a commit to `current` (the document before it), checking its precondition. */
export function applyWrite(
  write: WriteWire,
  current: StoredDocument | undefined,
  commitTime: number,
): AppliedWrite {
  const name = writeTarget(write);
  checkPrecondition(write, name, current);
  if (write.operation === 'delete') return { document: undefined, transformResults: [] };

  const update = write.update;
  let fields: Fields;
  if (update && !write.updateMask) {
    fields = { ...checkedFields(update.fields) };
  } else {
    fields = { ...(current?.fields ?? {}) };
    for (const path of write.updateMask?.fieldPaths ?? []) {
      const segments = parseFieldPath(path);
      const value = getField(checkedFields(update?.fields ?? {}), segments);
      if (value) setField(fields, segments, value);
      else deleteField(fields, segments);
    }
  }
  const transforms =
    write.operation === 'transform' ? write.transform!.fieldTransforms : write.updateTransforms;
  const transformResults = transforms.map((transform) => {
    const path = parseFieldPath(transform.fieldPath);
    const result = applyTransform(transform, getField(fields, path), commitTime);
    setField(fields, path, result);
    return result;
  });
  if (current && identicalFields(current.fields, fields))
    return { document: current, transformResults };
  return {
    document: {
      name,
      fields,
      createTime: current?.createTime ?? commitTime,
      updateTime: commitTime,
    },
    transformResults,
  };
}

function checkPrecondition(
  write: WriteWire,
  name: string,
  current: StoredDocument | undefined,
): void {
  const precondition = write.currentDocument;
  if (precondition?.conditionType === 'exists') {
    if (precondition.exists && !current) throw notFound(`No document to update: ${name}`);
    if (!precondition.exists && current) throw alreadyExists(`Document already exists: ${name}`);
  }
  if (precondition?.conditionType === 'updateTime') {
    const required = toMicros(precondition.updateTime!);
    if (current?.updateTime !== required) {
      throw failedPrecondition(
        `The stored version of ${name} (${current?.updateTime ?? 'missing'}) does not match the required update_time (${required})`,
      );
    }
  }
}

function checkedFields(fields: Fields): Fields {
  for (const value of Object.values(fields)) checkedValue(value);
  return fields;
}

function checkedValue(value: ValueWire): ValueWire {
  if (!isSupportedValue(value)) {
    throw invalidArgument(
      `The Firestore fake does not store values of kind ${String((value as { valueType?: unknown }).valueType)}`,
    );
  }
  if (value.valueType === 'arrayValue') {
    if (value.arrayValue.values.some((element) => element.valueType === 'arrayValue')) {
      throw invalidArgument('Cannot convert an array value in an array value.');
    }
    value.arrayValue.values.forEach(checkedValue);
  }
  if (value.valueType === 'mapValue') checkedFields(value.mapValue.fields);
  return value;
}

function applyTransform(
  transform: FieldTransformWire,
  previous: ValueWire | undefined,
  commitTime: number,
): ValueWire {
  switch (transform.transformType) {
    case 'setToServerValue':
      return { valueType: 'timestampValue', timestampValue: toTimestamp(commitTime) };
    case 'increment':
      return increment(previous, checkedValue(transform.increment!));
    case 'maximum':
    case 'minimum': {
      const operand = checkedValue(transform[transform.transformType]!);
      if (!isNumber(previous)) return operand;
      const order = compareValues(operand, previous);
      return (transform.transformType === 'maximum' ? order > 0 : order < 0) ? operand : previous;
    }
    case 'appendMissingElements': {
      const values = arrayOf(previous);
      for (const element of transform.appendMissingElements!.values.map(checkedValue)) {
        if (!values.some((value) => compareValues(value, element) === 0)) values.push(element);
      }
      return { valueType: 'arrayValue', arrayValue: { values } };
    }
    case 'removeAllFromArray': {
      const removed = transform.removeAllFromArray!.values.map(checkedValue);
      const values = arrayOf(previous).filter(
        (value) => !removed.some((element) => compareValues(value, element) === 0),
      );
      return { valueType: 'arrayValue', arrayValue: { values } };
    }
    default:
      throw invalidArgument(`Unsupported field transform on ${transform.fieldPath}`);
  }
}

/** Integers add as int64 (saturating, like Firestore); with a double involved the sum is a double. */
function increment(previous: ValueWire | undefined, operand: ValueWire): ValueWire {
  if (!isNumber(operand)) throw invalidArgument('increment() needs a number');
  if (!isNumber(previous)) return operand;
  if (previous.valueType === 'integerValue' && operand.valueType === 'integerValue') {
    const sum = BigInt(previous.integerValue) + BigInt(operand.integerValue);
    const saturated = sum > INT64_MAX ? INT64_MAX : sum < INT64_MIN ? INT64_MIN : sum;
    return { valueType: 'integerValue', integerValue: String(saturated) };
  }
  return { valueType: 'doubleValue', doubleValue: numberOf(previous) + numberOf(operand) };
}

function arrayOf(value: ValueWire | undefined): ValueWire[] {
  return value?.valueType === 'arrayValue' ? [...value.arrayValue.values] : [];
}
