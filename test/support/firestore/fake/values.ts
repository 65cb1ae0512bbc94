import type { Fields, ValueWire } from './wire-types.js';

// Firestore's cross-type ordering; integers and doubles are one class (numbers).
const TYPE_ORDER: Record<ValueWire['valueType'], number> = {
  nullValue: 0,
  booleanValue: 1,
  integerValue: 2,
  doubleValue: 2,
  timestampValue: 3,
  stringValue: 4,
  bytesValue: 5,
  referenceValue: 6,
  geoPointValue: 7,
  arrayValue: 8,
  mapValue: 9,
};

export function isSupportedValue(value: { valueType?: string }): value is ValueWire {
  return value.valueType !== undefined && value.valueType in TYPE_ORDER;
}

export function typeOrder(value: ValueWire): number {
  return TYPE_ORDER[value.valueType];
}

export function isNumber(
  value: ValueWire | undefined,
): value is Extract<ValueWire, { valueType: 'integerValue' | 'doubleValue' }> {
  return value?.valueType === 'integerValue' || value?.valueType === 'doubleValue';
}

export function isNaNValue(value: ValueWire | undefined): boolean {
  return value?.valueType === 'doubleValue' && Number.isNaN(value.doubleValue);
}

export function numberOf(value: ValueWire): number {
  if (value.valueType === 'integerValue') return Number(value.integerValue);
  return value.valueType === 'doubleValue' ? value.doubleValue : Number.NaN;
}

/** Firestore's total order over values: by type class, then within the class; NaN below all numbers. */
export function compareValues(a: ValueWire, b: ValueWire): number {
  const byType = typeOrder(a) - typeOrder(b);
  if (byType !== 0) return Math.sign(byType);
  switch (a.valueType) {
    case 'nullValue':
      return 0;
    case 'booleanValue':
      return Number(a.booleanValue) - Number((b as typeof a).booleanValue);
    case 'integerValue':
    case 'doubleValue':
      return compareNumbers(a, b as typeof a);
    case 'timestampValue': {
      const other = (b as typeof a).timestampValue;
      return (
        compareScalars(Number(a.timestampValue.seconds), Number(other.seconds)) ||
        compareScalars(a.timestampValue.nanos, other.nanos)
      );
    }
    case 'stringValue':
      return compareUtf8(a.stringValue, (b as typeof a).stringValue);
    case 'bytesValue':
      return Math.sign(Buffer.compare(a.bytesValue, (b as typeof a).bytesValue));
    case 'referenceValue':
      return compareSequences(
        a.referenceValue.split('/'),
        (b as typeof a).referenceValue.split('/'),
        compareUtf8,
      );
    case 'geoPointValue': {
      const other = (b as typeof a).geoPointValue;
      return (
        compareScalars(a.geoPointValue.latitude, other.latitude) ||
        compareScalars(a.geoPointValue.longitude, other.longitude)
      );
    }
    case 'arrayValue':
      return compareSequences(
        a.arrayValue.values,
        (b as typeof a).arrayValue.values,
        compareValues,
      );
    case 'mapValue':
      return compareMaps(a.mapValue.fields, (b as typeof a).mapValue.fields);
  }
}

/** Query equality: numbers compare by value (1 == 1.0), NaN equals nothing. */
export function valuesEqual(a: ValueWire, b: ValueWire): boolean {
  return !isNaNValue(a) && !isNaNValue(b) && compareValues(a, b) === 0;
}

/** Same type and same content (a write that changes 1 to 1.0 changes the document). */
export function identicalValues(a: ValueWire, b: ValueWire): boolean {
  if (a.valueType !== b.valueType) return false;
  if (a.valueType === 'arrayValue') {
    const others = (b as typeof a).arrayValue.values;
    const values = a.arrayValue.values;
    return (
      values.length === others.length &&
      values.every((value, index) => identicalValues(value, others[index]!))
    );
  }
  if (a.valueType === 'mapValue')
    return identicalFields(a.mapValue.fields, (b as typeof a).mapValue.fields);
  return compareValues(a, b) === 0;
}

export function identicalFields(a: Fields, b: Fields): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => b[key] !== undefined && identicalValues(a[key]!, b[key]))
  );
}

function compareNumbers(a: ValueWire, b: ValueWire): number {
  if (a.valueType === 'integerValue' && b.valueType === 'integerValue') {
    const [x, y] = [BigInt(a.integerValue), BigInt(b.integerValue)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [x, y] = [numberOf(a), numberOf(b)];
  if (Number.isNaN(x) || Number.isNaN(y))
    return Number(!Number.isNaN(x)) - Number(!Number.isNaN(y));
  return compareScalars(x, y);
}

function compareScalars(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strings order by their UTF-8 bytes, not by UTF-16 code units. */
function compareUtf8(a: string, b: string): number {
  return Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

function compareSequences<T>(a: T[], b: T[], compare: (x: T, y: T) => number): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compare(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return compareScalars(a.length, b.length);
}

/** Maps compare entry by entry in key order (key first, then value), then by size. */
function compareMaps(a: Fields, b: Fields): number {
  const keysA = Object.keys(a).sort(compareUtf8);
  const keysB = Object.keys(b).sort(compareUtf8);
  for (let i = 0; i < Math.min(keysA.length, keysB.length); i++) {
    const [keyA, keyB] = [keysA[i]!, keysB[i]!];
    const order = compareUtf8(keyA, keyB) || compareValues(a[keyA]!, b[keyB]!);
    if (order !== 0) return order;
  }
  return compareScalars(keysA.length, keysB.length);
}
