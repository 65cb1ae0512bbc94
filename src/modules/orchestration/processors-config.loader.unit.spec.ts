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
  it("loads the shipped config/processors.yaml: production's 5 required, 3 tracked and class names", () => {
    const config = loadProcessorsConfig(join(ROOT, 'config/processors.yaml'));
    const phase = config.phases.phase_2_raw!;
    expect(phase.required).toEqual([
      'p2_bigdataball_pbp',
      'p2_odds_game_lines',
      'p2_odds_player_props',
      'p2_nbacom_gamebook_pdf',
      'p2_nbacom_boxscores',
    ]);
    expect(phase.tracked).toEqual([
      'p2_bdl_box_scores',
      'p2_nbacom_schedule',
      'p2_br_season_roster',
    ]);
    expect(phase.treatNoDataAsSuccess).toEqual([]);
    expect(phase.aliases).toEqual({
      BdlPlayerBoxScoresProcessor: 'p2_bdl_box_scores',
      BdlPlayerBoxscoresProcessor: 'p2_bdl_box_scores',
      BigDataBallPbpProcessor: 'p2_bigdataball_pbp',
      BigdataballPbpProcessor: 'p2_bigdataball_pbp',
      OddsGameLinesProcessor: 'p2_odds_game_lines',
      OddsApiGameLinesProcessor: 'p2_odds_game_lines',
      OddsApiGameLinesBatchProcessor: 'p2_odds_game_lines',
      OddsApiPropsProcessor: 'p2_odds_player_props',
      OddsApiPropsBatchProcessor: 'p2_odds_player_props',
      NbacScheduleProcessor: 'p2_nbacom_schedule',
      NbacomScheduleProcessor: 'p2_nbacom_schedule',
      NbacGamebookProcessor: 'p2_nbacom_gamebook_pdf',
      NbacGamebookPlayerStatsProcessor: 'p2_nbacom_gamebook_pdf',
      NbacPlayerBoxscoreProcessor: 'p2_nbacom_boxscores',
      NbacTeamBoxscoreProcessor: 'p2_nbacom_boxscores',
      BrRosterProcessor: 'p2_br_season_roster',
      BrRostersProcessor: 'p2_br_season_roster',
      BrRostersCurrentProcessor: 'p2_br_season_roster',
    });
  });

  it('normalises entries and freezes the result', () => {
    const config = parseProcessorsConfig(valid, FILE);
    const phase = config.phases.phase_2_raw!;
    expect(phase).toEqual({
      phase: 'phase_2_raw',
      required: ['a_one', 'b_two'],
      tracked: ['c_three', 'd_four'],
      treatNoDataAsSuccess: ['d_four'],
      aliases: { SomeClassProcessor: 'a_one' },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.phases)).toBe(true);
    expect(Object.isFrozen(phase)).toBe(true);
    expect(Object.isFrozen(phase.required)).toBe(true);
    expect(Object.isFrozen(phase.aliases)).toBe(true);
  });

  it('reads tracked and optional as one list: tracked, then optional', () => {
    const text = valid.replace('    optional:', '    tracked: [e_five]\n    optional:');
    const phase = parseProcessorsConfig(text, FILE).phases.phase_2_raw!;
    expect(phase.tracked).toEqual(['e_five', 'c_three', 'd_four']);
    expect(phase.treatNoDataAsSuccess).toEqual(['d_four']);
  });

  it('tracks an alias target listed nowhere else instead of refusing the boot', () => {
    const text = `${valid}      OtherClassProcessor: zz_nine\n      ThirdClassProcessor: zz_nine\n`;
    const phase = parseProcessorsConfig(text, FILE).phases.phase_2_raw!;
    expect(phase.required).toEqual(['a_one', 'b_two']);
    expect(phase.tracked).toEqual(['c_three', 'd_four', 'zz_nine']);
    expect(phase.aliases).toMatchObject({ OtherClassProcessor: 'zz_nine' });
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
      'a name both required and tracked',
      valid.replace('optional:', 'tracked:').replace('- c_three', '- a_one'),
      /a_one is both required and tracked/,
    ],
    [
      'a name both tracked and optional',
      `${valid}    tracked: [c_three]\n`,
      /c_three is both tracked and optional, which mean the same/,
    ],
    ['an alias target that is not snake_case', valid.replace(': a_one', ': AOne'), /snake_case/],
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
