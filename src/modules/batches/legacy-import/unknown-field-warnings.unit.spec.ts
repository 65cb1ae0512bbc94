import { UnknownFieldWarnings, unknownFieldsOf } from './unknown-field-warnings.js';

describe('unknown field warnings', () => {
  it('names the fields the legacy schema does not read, in the fixture wrapper too', () => {
    const doc = { batch_id: 'b', game_date: '2026-01-20', stall_reason: 'x', owner: 'y' };
    expect(unknownFieldsOf(doc)).toEqual(['stall_reason', 'owner']);
    expect(unknownFieldsOf({ description: 'd', document: doc })).toEqual(['stall_reason', 'owner']);
    expect(unknownFieldsOf('not a document')).toEqual([]);
  });

  it('announces each name once and counts the documents carrying it', () => {
    const warnings = new UnknownFieldWarnings();
    expect(warnings.summary()).toBeNull();
    expect(warnings.note('line 1', ['stall_reason'])).toEqual(['stall_reason']);
    expect(warnings.note('line 2', ['stall_reason', 'owner', 'owner'])).toEqual(['owner']);
    expect(warnings.note('line 3', [])).toEqual([]);
    expect(warnings.summary()).toBe(
      'warning: unknown fields ignored: stall_reason in 2 document(s) (first line 1), owner in 1 document(s) (first line 2)',
    );
  });

  it('counts names past the first 50 together', () => {
    const warnings = new UnknownFieldWarnings();
    for (let i = 0; i < 60; i++) warnings.note(`line ${i + 1}`, [`field_${i}`]);
    expect(warnings.summary()).toContain('(other names) in 10 document(s) (first line 51)');
  });
});
