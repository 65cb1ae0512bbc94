import { fileURLToPath } from 'node:url';
import { loadWorkflowsDefinition } from './workflows-config.loader.js';
import { WorkflowsConfigError } from './workflows-config.error.js';
import { validateWorkflowsConfig } from './workflows-config.validator.js';

const CONFIG = fileURLToPath(new URL('../../../../config/workflows.yaml', import.meta.url));
const FILE = 'wf.yaml';

/** A valid config with one workflow, which `workflow` overrides. */
function config(workflow: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    settings: { timezone: 'America/New_York' },
    scrapers: {
      a: { critical: true },
      b: { critical: false, depends_on: ['a'] },
      c: {},
    },
    workflows: {
      wf: {
        priority: 'HIGH',
        decision_type: 'discovery',
        schedule: { max_attempts_per_day: 3, min_interval_hours: 1 },
        execution_plan: { type: 'parallel', scrapers: ['a', 'b'] },
        ...workflow,
      },
    },
    ...extra,
  };
}

function problems(raw: unknown): readonly string[] {
  try {
    validateWorkflowsConfig(raw, FILE);
  } catch (error) {
    if (error instanceof WorkflowsConfigError) return error.lines;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('validateWorkflowsConfig', () => {
  it('validates config/workflows.yaml (the production-shape fixture) to the expected definition', () => {
    const definition = loadWorkflowsDefinition(CONFIG);
    expect(definition.source).toBe(CONFIG);
    expect(definition.timezone).toBe('America/New_York');
    expect(definition.controllerIntervalMinutes).toBe(60);
    expect([...definition.scrapers.keys()]).toEqual([
      'nbac_schedule_api',
      'nbac_player_list',
      'bdl_active_players',
      'oddsa_events',
      'oddsa_player_props',
      'bdl_player_boxscores',
      'nbac_gamebook_pdf',
      'nbac_injury_report',
    ]);
    expect(definition.scrapers.get('oddsa_player_props')).toEqual({
      name: 'oddsa_player_props',
      critical: true,
      processorName: 'OddsApiPropsBatchProcessor',
      estimatedDurationSeconds: 90,
      dependsOn: ['oddsa_events'],
      treatNoDataAsSuccess: false,
    });
    expect(definition.scrapers.get('nbac_injury_report')?.treatNoDataAsSuccess).toBe(true);
    expect(definition.workflows).toEqual([
      {
        name: 'morning_operations',
        enabled: true,
        priority: 'CRITICAL',
        decisionType: 'self_aware',
        schedule: { kind: 'self_aware', idealWindow: { startHour: 6, endHour: 10 } },
        steps: [
          {
            name: 'main',
            type: 'parallel',
            scrapers: ['nbac_schedule_api', 'nbac_player_list', 'bdl_active_players'],
            dependsOn: [],
          },
        ],
        executionMode: 'parallel',
        maxWorkers: 3,
        requireAllCritical: false,
      },
      {
        name: 'betting_lines',
        enabled: true,
        priority: 'HIGH',
        decisionType: 'game_aware',
        schedule: { kind: 'game_aware', hoursBeforeFirstGame: 6, frequencyHours: 2 },
        steps: [
          { name: 'step_1', type: 'single', scrapers: ['oddsa_events'], dependsOn: [] },
          {
            name: 'step_2',
            type: 'parallel',
            scrapers: ['oddsa_player_props'],
            dependsOn: ['step_1'],
          },
        ],
        executionMode: 'sequential',
        maxWorkers: 10,
        requireAllCritical: false,
      },
      {
        name: 'post_game_window_1',
        enabled: true,
        priority: 'CRITICAL',
        decisionType: 'fixed_time',
        schedule: { kind: 'fixed_time', fixedTime: '22:00', toleranceMinutes: 30 },
        steps: [
          {
            name: 'main',
            type: 'parallel',
            scrapers: ['bdl_player_boxscores', 'nbac_gamebook_pdf'],
            dependsOn: [],
          },
        ],
        executionMode: 'parallel',
        maxWorkers: 2,
        requireAllCritical: false,
      },
      {
        name: 'injury_discovery',
        enabled: true,
        priority: 'MEDIUM',
        decisionType: 'discovery',
        schedule: { kind: 'discovery', maxAttemptsPerDay: 12, minIntervalHours: 2 },
        steps: [{ name: 'main', type: 'single', scrapers: ['nbac_injury_report'], dependsOn: [] }],
        executionMode: 'sequential',
        maxWorkers: 10,
        requireAllCritical: false,
      },
    ]);
  });

  describe('defaults', () => {
    it.each([
      ['a single parallel step', 'parallel', { type: 'parallel', scrapers: ['a'] }],
      ['a single sequential step', 'sequential', { type: 'sequential', scrapers: ['a', 'c'] }],
      ['a single scraper', 'sequential', { type: 'single', scraper: 'a' }],
      [
        'two parallel steps',
        'sequential',
        {
          s1: { type: 'parallel', scrapers: ['a'] },
          s2: { type: 'parallel', scrapers: ['c'] },
        },
      ],
    ])('execution_mode for %s is %s', (_, mode, plan) => {
      const definition = validateWorkflowsConfig(config({ execution_plan: plan }), FILE);
      expect(definition.workflows[0]).toMatchObject({
        executionMode: mode,
        maxWorkers: 10,
        requireAllCritical: false,
        enabled: true,
      });
    });

    it('sorts steps topologically whatever their order in the file', () => {
      const definition = validateWorkflowsConfig(
        config({
          execution_plan: {
            last: { type: 'single', scraper: 'c', depends_on: ['middle', 'first'] },
            middle: { type: 'single', scraper: 'b', depends_on: ['first'] },
            first: { type: 'single', scraper: 'a' },
          },
        }),
        FILE,
      );
      expect(definition.workflows[0]!.steps.map((step) => step.name)).toEqual([
        'first',
        'middle',
        'last',
      ]);
    });
  });

  describe('rejects, naming the file, the workflow and the problem', () => {
    it.each([
      [
        'an unknown scraper in a flat plan',
        { execution_plan: { type: 'parallel', scrapers: ['a', 'nope'] } },
        'wf.yaml: workflow wf: execution_plan: unknown scraper nope (not under scrapers: in this file)',
      ],
      [
        'an unknown scraper in a step',
        { execution_plan: { s1: { type: 'single', scraper: 'ghost' } } },
        'wf.yaml: workflow wf: execution_plan.s1: unknown scraper ghost (not under scrapers: in this file)',
      ],
      [
        'a step dependency cycle',
        {
          execution_plan: {
            s1: { type: 'single', scraper: 'a', depends_on: ['s2'] },
            s2: { type: 'single', scraper: 'b', depends_on: ['s1'] },
          },
        },
        'wf.yaml: workflow wf: execution_plan: step dependency cycle s1 -> s2 -> s1',
      ],
      [
        'an unknown step dependency',
        { execution_plan: { s1: { type: 'single', scraper: 'a', depends_on: ['s0'] } } },
        'wf.yaml: workflow wf: execution_plan.s1: depends_on names unknown step s0 (steps: s1)',
      ],
      [
        'a single step with a list of two',
        { execution_plan: { type: 'single', scrapers: ['a', 'b'] } },
        'wf.yaml: workflow wf: execution_plan: a single step takes exactly one scraper (`scraper: name`)',
      ],
      [
        'a bad ideal window (start >= end)',
        {
          decision_type: 'self_aware',
          schedule: { ideal_window: { start_hour: 10, end_hour: 6 } },
        },
        'wf.yaml: workflow wf: schedule.ideal_window: expected 0 <= start_hour < end_hour <= 24',
      ],
      [
        'an ideal window past 24',
        {
          decision_type: 'self_aware',
          schedule: { ideal_window: { start_hour: 6, end_hour: 25 } },
        },
        'wf.yaml: workflow wf: schedule.ideal_window.end_hour: Too big: expected number to be <=24',
      ],
      [
        'a fixed time that is not HH:MM',
        { decision_type: 'fixed_time', schedule: { fixed_time: '7pm', tolerance_minutes: 30 } },
        'wf.yaml: workflow wf: schedule.fixed_time: expected a local time HH:MM (00:00-23:59)',
      ],
      [
        'a tolerance over 720 minutes',
        { decision_type: 'fixed_time', schedule: { fixed_time: '22:00', tolerance_minutes: 721 } },
        'wf.yaml: workflow wf: schedule.tolerance_minutes: expected 0 to 720 minutes',
      ],
      [
        'zero discovery attempts',
        { schedule: { max_attempts_per_day: 0, min_interval_hours: 1 } },
        'wf.yaml: workflow wf: schedule.max_attempts_per_day: expected an integer >= 1',
      ],
      [
        'a zero discovery interval',
        { schedule: { max_attempts_per_day: 3, min_interval_hours: 0 } },
        'wf.yaml: workflow wf: schedule.min_interval_hours: expected more than 0 hours',
      ],
      [
        'negative hours before the first game',
        {
          decision_type: 'game_aware',
          schedule: { hours_before_first_game: -1, frequency_hours: 2 },
        },
        'wf.yaml: workflow wf: schedule.hours_before_first_game: expected 0 or more hours',
      ],
      [
        'a zero game frequency',
        {
          decision_type: 'game_aware',
          schedule: { hours_before_first_game: 6, frequency_hours: 0 },
        },
        'wf.yaml: workflow wf: schedule.frequency_hours: expected more than 0 hours',
      ],
      [
        'max_workers < 1',
        { max_workers: 0 },
        'wf.yaml: workflow wf: max_workers: expected an integer >= 1',
      ],
      [
        'fractional max_workers',
        { max_workers: 1.5 },
        'wf.yaml: workflow wf: max_workers: expected an integer >= 1',
      ],
    ])('%s', (_, workflow, line) => {
      expect(problems(config(workflow))).toEqual([line]);
    });

    it('an unknown time zone', () => {
      expect(problems({ ...config(), settings: { timezone: 'America/Springfield' } })).toEqual([
        'wf.yaml: settings: timezone: America/Springfield is not an IANA time zone (e.g. America/New_York)',
      ]);
    });

    it('an unknown scraper dependency and a scraper dependency cycle', () => {
      expect(problems(config({}, { scrapers: { a: { depends_on: ['zz'] } } }))).toContain(
        'wf.yaml: scrapers: a: depends_on names unknown scraper zz',
      );
      expect(
        problems(
          config(
            { execution_plan: { type: 'single', scraper: 'a' } },
            { scrapers: { a: { depends_on: ['b'] }, b: { depends_on: ['a'] } } },
          ),
        ),
      ).toEqual(['wf.yaml: scrapers: scraper dependency cycle a -> b -> a']);
    });

    it('every problem of every workflow at once, in one error whose message says what to do', () => {
      const raw = config({ max_workers: 0, execution_plan: { type: 'parallel', scrapers: ['x'] } });
      (raw.workflows as Record<string, unknown>)['other'] = {
        priority: 'LOW',
        decision_type: 'self_aware',
        schedule: { ideal_window: { start_hour: 9, end_hour: 9 } },
        execution_plan: { type: 'single', scraper: 'a' },
      };
      expect(() => validateWorkflowsConfig(raw, FILE)).toThrow(
        /invalid workflow configuration in wf\.yaml \(3 problems\); fix the file and restart:\n {2}wf\.yaml: workflow wf: max_workers: expected an integer >= 1\n {2}wf\.yaml: workflow wf: execution_plan: unknown scraper x \(not under scrapers: in this file\)\n {2}wf\.yaml: workflow other: schedule\.ideal_window: expected 0 <= start_hour < end_hour <= 24/,
      );
    });

    it('a typo in a workflow key', () => {
      expect(problems(config({ max_worker: 3 }))).toEqual([
        'wf.yaml: workflow wf: Unrecognized key: "max_worker"',
      ]);
    });

    it('a missing file, by its path', () => {
      expect(() => loadWorkflowsDefinition('/nonexistent/workflows.yaml')).toThrow(
        '/nonexistent/workflows.yaml: cannot read the workflow configuration: it does not exist',
      );
    });
  });
});
