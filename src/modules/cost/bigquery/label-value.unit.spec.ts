import { labelValue, MAX_LABEL_VALUE_LENGTH } from './label-value.js';

describe('labelValue (BigQuery label values)', () => {
  it.each([
    ['production', 'production'],
    ['dev', 'dev'],
    ['Staging-EU', 'staging-eu'],
    ['prod west/2', 'prod_west_2'],
    ['préprod', 'pr_prod'],
  ])('%s -> %s', (text, expected) => {
    expect(labelValue(text)).toBe(expected);
  });

  it('cuts to the 63 characters BigQuery allows', () => {
    expect(labelValue('e'.repeat(100))).toBe('e'.repeat(MAX_LABEL_VALUE_LENGTH));
  });
});
