import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadProcessorsConfig,
  parseProcessorsConfig,
  ProcessorsConfigError,
} from './processors-config.loader.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILE = 'test-processors.yaml';

const valid = `
phases:
  phase_2_raw:
    required: [a_one, b_two]
    optional:
      - c_three
      - name: d_four
        treat_no_data_as_success: true
    aliases:
      SomeClassProcessor: a_one
`;

describe('processors config', () => {
  it('loads the shipped config/processors.yaml: 6 required, 2 optional, aliases to configured names', () => {
    const config = loadProcessorsConfig(join(ROOT, 'config/processors.yaml'));
    const phase = config.phases.phase_2_raw!;
    expect(phase.required).toHaveLength(6);
    expect(phase.optional).toHaveLength(2);
    expect(phase.aliases.OddsApiPropsBatchProcessor).toBe('odds_api_player_props');
    expect(phase.treatNoDataAsSuccess).toEqual(['nbac_injury_report']);
  });

  it('normalises entries and freezes the result', () => {
    const config = parseProcessorsConfig(valid, FILE);
    const phase = config.phases.phase_2_raw!;
    expect(phase).toEqual({
      phase: 'phase_2_raw',
      required: ['a_one', 'b_two'],
      optional: ['c_three', 'd_four'],
      treatNoDataAsSuccess: ['d_four'],
      aliases: { SomeClassProcessor: 'a_one' },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.phases)).toBe(true);
    expect(Object.isFrozen(phase)).toBe(true);
    expect(Object.isFrozen(phase.required)).toBe(true);
    expect(Object.isFrozen(phase.aliases)).toBe(true);
  });

  it.each([
    ['an unknown key', valid.replace('aliases:', 'alias:'), /phases\.phase_2_raw: .*alias/i],
    [
      'an unknown processor key',
      valid.replace('treat_no_data_as_success', 'treat_nodata'),
      /treat_nodata/,
    ],
    [
      'a name both required and optional',
      valid.replace('- c_three', '- b_two'),
      /b_two is both required and optional/,
    ],
    [
      'a name listed twice',
      valid.replace('[a_one, b_two]', '[a_one, a_one]'),
      /a_one is listed twice/,
    ],
    [
      'an alias to an unconfigured name',
      valid.replace('SomeClassProcessor: a_one', 'SomeClassProcessor: zz_nine'),
      /aliases\.SomeClassProcessor: targets zz_nine, which is neither required nor optional/,
    ],
    ['no phase_2_raw', valid.replace('phase_2_raw', 'phase_3'), /phases\.phase_2_raw: missing/],
    ['no required processor', valid.replace('[a_one, b_two]', '[]'), /at least one required/],
    ['a name that is not snake_case', valid.replace('b_two', 'BTwo'), /snake_case/],
    ['broken YAML', 'phases: [', /not valid YAML/],
  ])('fails naming the file and the problem: %s', (_, text, problem) => {
    const load = () => parseProcessorsConfig(text, FILE);
    expect(load).toThrow(ProcessorsConfigError);
    expect(load).toThrow(new RegExp(`invalid processors config ${FILE}`));
    expect(load).toThrow(problem);
  });

  it('names a missing file', () => {
    expect(() => loadProcessorsConfig('/nonexistent/processors.yaml')).toThrow(
      /invalid processors config \/nonexistent\/processors\.yaml .*cannot read the file/,
    );
  });
});
