import { matchProcessor, normalizeClassName, tableName } from './processor-matcher.js';
import type { PhaseProcessors } from './processors-config.js';

const phase: PhaseProcessors = {
  phase: 'phase_2_raw',
  required: ['bdl_player_boxscores', 'nbac_schedule', 'odds_api_player_props', 'nbac_gamebook'],
  tracked: ['nbac_injury_report'],
  treatNoDataAsSuccess: ['nbac_injury_report'],
  aliases: {
    OddsApiPropsBatchProcessor: 'odds_api_player_props',
    // An alias that loses to an earlier rule: the output_table is tried first.
    NbacGamebookPdfProcessor: 'nbac_gamebook',
  },
};

describe('matchProcessor (rules in order: exact, output_table, alias, normalized)', () => {
  it.each([
    ['the exact configured name', 'nbac_schedule', undefined, 'nbac_schedule', 'exact'],
    [
      'exact wins over a different output_table',
      'nbac_schedule',
      'nba_raw.bdl_player_boxscores',
      'nbac_schedule',
      'exact',
    ],
    [
      'output_table without its dataset prefix',
      'SomethingElseProcessor',
      'nba_raw.bdl_player_boxscores',
      'bdl_player_boxscores',
      'output_table',
    ],
    [
      'output_table with project.dataset prefix',
      'X',
      'nba-props:nba_raw.nbac_schedule',
      'nbac_schedule',
      'output_table',
    ],
    [
      'output_table with no prefix',
      'X',
      'nbac_injury_report',
      'nbac_injury_report',
      'output_table',
    ],
    [
      'output_table before the alias map',
      'NbacGamebookPdfProcessor',
      'nba_raw.nbac_schedule',
      'nbac_schedule',
      'output_table',
    ],
    [
      'the alias map when output_table is unknown',
      'OddsApiPropsBatchProcessor',
      'nba_raw.odds_api_props',
      'odds_api_player_props',
      'alias',
    ],
    [
      'the alias map when output_table is absent',
      'NbacGamebookPdfProcessor',
      null,
      'nbac_gamebook',
      'alias',
    ],
    [
      'Processor stripped, CamelCase to snake_case',
      'BdlPlayerBoxscoresProcessor',
      undefined,
      'bdl_player_boxscores',
      'normalized',
    ],
    [
      'normalized, an acronym kept together',
      'NBACScheduleProcessor',
      undefined,
      'nbac_schedule',
      'normalized',
    ],
  ] as const)('matches %s', (_, name, table, processor, rule) => {
    expect(matchProcessor(phase, { processor_name: name, output_table: table })).toEqual({
      processor,
      rule,
    });
  });

  it.each([
    ['an unknown class name', 'BdlStandingsProcessor', 'nba_raw.bdl_standings'],
    ['a near miss (plural)', 'NbacSchedulesProcessor', undefined],
    ['an alias key inherited from Object.prototype', 'toString', undefined],
    ['an empty output_table', 'EspnRosterProcessor', ''],
  ])('returns null (unexpected) for %s', (_, name, table) => {
    expect(matchProcessor(phase, { processor_name: name, output_table: table })).toBeNull();
  });
});

describe('name helpers', () => {
  it.each([
    ['BdlPlayerBoxscoresProcessor', 'bdl_player_boxscores'],
    ['OddsApiPropsBatchProcessor', 'odds_api_props_batch'],
    ['NbacInjuryReport', 'nbac_injury_report'],
    ['Nbac2ScheduleProcessor', 'nbac2_schedule'],
  ])('normalizeClassName(%s) = %s', (name, expected) => {
    expect(normalizeClassName(name)).toBe(expected);
  });

  it('tableName keeps the part after the last dot', () => {
    expect(tableName('proj.nba_raw.t')).toBe('t');
    expect(tableName('t')).toBe('t');
  });
});
