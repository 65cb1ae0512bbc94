import { TABLE_COLUMNS } from '../analytics-columns.js';
import {
  ALL_PARTITIONS,
  billedTableBytes,
  estimateScanBytes,
  MIN_BILLED_BYTES_PER_TABLE,
  valueBytes,
} from './bigquery-bytes.estimator.js';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-01-01T12:00:00.000Z');
const specs = TABLE_COLUMNS.workflow_executions;

/** 90 days with 10 executions a day, every row the same size. */
const rows = Array.from({ length: 90 * 10 }, (_, index) => ({
  execution_id: `exec-${String(index).padStart(4, '0')}`,
  execution_time: new Date(START + Math.floor(index / 10) * DAY_MS).toISOString(),
  workflow_name: 'morning_operations',
  status: 'completed',
  scrapers_requested: ['nbac_schedule', 'espn_roster'],
  duration_seconds: 12.5,
  error_message: null,
}));

const scan = (columns: Array<keyof typeof specs>, range = ALL_PARTITIONS) =>
  estimateScanBytes({
    rows,
    columns: Object.fromEntries(columns.map((column) => [column, specs[column]])),
    partitionColumn: 'execution_time',
    range,
  });

describe('valueBytes', () => {
  it.each([
    ['STRING', 'completed', 2 + 9],
    ['STRING', 'é', 2 + 2],
    ['INT64', 42, 8],
    ['FLOAT64', 1.5, 8],
    ['TIMESTAMP', '2026-01-01T00:00:00.000Z', 8],
    ['BOOL', true, 1],
    ['JSON', '{"a":1}', 7],
    ['STRING', null, 0],
  ] as const)('a %s value %j counts %i bytes', (type, value, bytes) => {
    expect(valueBytes({ type, mode: 'NULLABLE' }, value)).toBe(bytes);
  });

  it('a repeated value counts the sum of its elements', () => {
    expect(valueBytes({ type: 'STRING', mode: 'REPEATED' }, ['ab', 'cde'])).toBe(2 + 2 + 2 + 3);
    expect(valueBytes({ type: 'STRING', mode: 'REPEATED' }, [])).toBe(0);
  });
});

describe('estimateScanBytes', () => {
  it('given one day of 90 in range, then it reads 1/90 of the bytes (partition pruning)', () => {
    const all = scan(['workflow_name', 'status']);
    const oneDay = scan(['workflow_name', 'status'], { from: '2026-02-01', to: '2026-02-01' });
    expect(oneDay).toBeGreaterThan(0);
    expect(oneDay * 90).toBe(all);
  });

  it('given fewer columns, then only the referenced columns count', () => {
    const status = scan(['status']);
    const statusAndWorkflow = scan(['status', 'workflow_name']);
    expect(status).toBe(900 * (2 + 'completed'.length));
    expect(statusAndWorkflow - status).toBe(900 * (2 + 'morning_operations'.length));
  });

  it('given an open-ended range, then every partition from its start counts', () => {
    expect(scan(['status'], { from: '2026-03-31', to: null })).toBe(10 * (2 + 9));
    expect(scan(['status'], { from: null, to: '2026-01-01' })).toBe(10 * (2 + 9));
  });
});

describe('billedTableBytes', () => {
  it('bills at least 10 MiB per table', () => {
    expect(billedTableBytes(0)).toBe(MIN_BILLED_BYTES_PER_TABLE);
    expect(billedTableBytes(1234)).toBe(10 * 1024 * 1024);
  });

  it('rounds larger scans up to the next MiB', () => {
    expect(billedTableBytes(10 * 1024 * 1024 + 1)).toBe(11 * 1024 * 1024);
    expect(billedTableBytes(1234, 0)).toBe(1024 * 1024);
    expect(billedTableBytes(0, 5 * 1024 * 1024)).toBe(5 * 1024 * 1024);
  });
});
