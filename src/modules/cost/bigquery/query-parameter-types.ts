import { BigQuery, type BigQueryDate, type BigQueryTimestamp } from '@google-cloud/bigquery';

export type QueryParameterType = 'DATE' | 'TIMESTAMP' | 'INT64' | 'FLOAT64' | 'STRING';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The BigQuery type of a named parameter, from its value: 'YYYY-MM-DD' is a DATE, an ISO
 * timestamp with an offset is a TIMESTAMP, an integer is an INT64, another number a FLOAT64,
 * any other text a STRING.
 */
export function inferQueryParameterType(value: string | number): QueryParameterType {
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (DATE.test(value)) return 'DATE';
  if (ISO_TIMESTAMP.test(value)) return 'TIMESTAMP';
  return 'STRING';
}

export function queryParameterTypes(
  params: Record<string, string | number>,
): Record<string, QueryParameterType> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, inferQueryParameterType(value)]),
  );
}

/**
 * The `params` and `types` options of a query job. DATE and TIMESTAMP values are wrapped in the
 * client's BigQueryDate / BigQueryTimestamp: given a type, the client reads `.value` of such
 * parameters, so a plain string would be sent without a value.
 */
export function queryJobParameters(params: Record<string, string | number>): {
  params: Record<string, string | number | BigQueryDate | BigQueryTimestamp>;
  types: Record<string, QueryParameterType>;
} {
  const types = queryParameterTypes(params);
  const wrapped = Object.fromEntries(
    Object.entries(params).map(([name, value]) => {
      if (types[name] === 'DATE') return [name, BigQuery.date(String(value))];
      if (types[name] === 'TIMESTAMP') return [name, BigQuery.timestamp(String(value))];
      return [name, value];
    }),
  );
  return { params: wrapped, types };
}
