import { tableSpec } from './analytics-schema.js';
import { checkTableLayout } from './table-layout-check.js';

const spec = tableSpec('workflow_executions');
const allFields = spec.fields.map((field) => ({ name: field.name }));
const layout = {
  timePartitioning: { type: 'DAY', field: 'execution_time' },
  clustering: { fields: ['workflow_name', 'status'] },
};

describe('checkTableLayout', () => {
  it('given the expected layout and all columns, is unchanged', () => {
    expect(checkTableLayout(spec, { ...layout, schema: { fields: allFields } })).toEqual({
      outcome: 'unchanged',
    });
  });

  it('given missing columns, lists them as NULLABLE or REPEATED (never REQUIRED)', () => {
    const fields = allFields.filter(
      (field) => !['created_at', 'scrapers_requested'].includes(field.name),
    );
    expect(checkTableLayout(spec, { ...layout, schema: { fields } })).toEqual({
      outcome: 'columns_added',
      missingFields: [
        { name: 'scrapers_requested', type: 'STRING', mode: 'REPEATED' },
        { name: 'created_at', type: 'TIMESTAMP', mode: 'NULLABLE' },
      ],
    });
  });

  it('given an unpartitioned table, is a mismatch naming the partitioning', () => {
    const check = checkTableLayout(spec, {
      clustering: layout.clustering,
      schema: { fields: allFields },
    });
    expect(check).toEqual({
      outcome: 'mismatch',
      detail: expect.stringContaining(
        'partitioning is none on _PARTITIONTIME, expected DAY on execution_time',
      ),
    });
  });

  it('given HOUR partitioning on the right column, is a mismatch', () => {
    const check = checkTableLayout(spec, {
      ...layout,
      timePartitioning: { type: 'HOUR', field: 'execution_time' },
    });
    expect(check.outcome).toBe('mismatch');
  });

  it('given clustering in another order, is a mismatch naming both', () => {
    const check = checkTableLayout(spec, {
      ...layout,
      clustering: { fields: ['status', 'workflow_name'] },
    });
    expect(check).toEqual({
      outcome: 'mismatch',
      detail: expect.stringContaining(
        'clustering is [status, workflow_name], expected [workflow_name, status]',
      ),
    });
  });
});
