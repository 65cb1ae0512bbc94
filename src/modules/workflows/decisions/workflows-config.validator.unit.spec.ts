import { fileURLToPath } from 'node:url';
import { loadWorkflowsDefinition } from './workflows-config.loader.js';
import { WorkflowsConfigError } from './workflows-config.error.js';
import { validateWorkflowsConfig } from './workflows-config.validator.js';

const CONFIG = fileURLToPath(new URL('../../../../config/workflows.yaml', import.meta.url));
const PRODUCTION = fileURLToPath(
  new URL('../../../../test/fixtures/workflows-production.yaml', import.meta.url),
);
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
        schedule: { max_attempts_per_day: 3, retry_interval_hours: 1 },
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
  it('validates config/workflows.yaml (production shape) to the expected definition, without warnings', () => {
    const definition = loadWorkflowsDefinition(CONFIG);
    expect(definition).toMatchObject({
      source: CONFIG,
      version: '1.0',
      environment: 'dev',
      timezone: 'America/New_York',
      controllerIntervalMinutes: 60,
      scheduleRefreshIntervalHours: 6,
      warnings: [],
    });
    expect(definition.scraperTimeouts).toEqual({
      defaultSeconds: 180,
      futureOverheadSeconds: 10,
      overrides: new Map([['nbac_gamebook_pdf', 240]]),
    });
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
    const noAlerts = { failure: null, timingDrift: null, maxAttemptsReached: null };
    expect(definition.workflows).toEqual([
      {
        name: 'morning_operations',
        enabled: true,
        priority: 'CRITICAL',
        decisionType: 'self_aware',
        schedule: {
          kind: 'self_aware',
          idealWindow: { startHour: 6, endHour: 10 },
          runOnceDaily: true,
        },
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
        alerts: { failure: 'CRITICAL', timingDrift: 'WARNING', maxAttemptsReached: null },
      },
      {
        name: 'betting_lines',
        enabled: true,
        priority: 'HIGH',
        decisionType: 'game_aware',
        schedule: {
          kind: 'game_aware',
          windowBeforeGameHours: 6,
          businessHours: { start: 8, end: 23 },
          frequencyHours: 2,
        },
        steps: [
          { name: 'step_1', type: 'single', scrapers: ['oddsa_events'], dependsOn: [] },
          {
            name: 'step_2',
            type: 'parallel',
            scrapers: ['oddsa_player_props'],
            dependsOn: ['oddsa_events'],
          },
        ],
        executionMode: 'sequential',
        maxWorkers: 10,
        requireAllCritical: false,
        alerts: { ...noAlerts, failure: 'CRITICAL' },
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
        alerts: { ...noAlerts, failure: 'CRITICAL' },
      },
      {
        name: 'post_game_window_2',
        enabled: true,
        priority: 'HIGH',
        decisionType: 'game_aware_yesterday',
        schedule: { kind: 'game_aware_yesterday', fixedTime: '01:00', toleranceMinutes: 30 },
        steps: [
          {
            name: 'main',
            type: 'parallel',
            scrapers: ['nbac_schedule_api', 'bdl_player_boxscores'],
            dependsOn: [],
          },
        ],
        executionMode: 'parallel',
        maxWorkers: 2,
        requireAllCritical: false,
        alerts: noAlerts,
      },
      {
        name: 'early_game_window_1',
        enabled: true,
        priority: 'HIGH',
        decisionType: 'game_aware_early',
        schedule: {
          kind: 'game_aware_early',
          fixedTime: '15:00',
          toleranceMinutes: 30,
          earlyGameCutoffHour: 19,
          collectionDelayHours: 3,
        },
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
        alerts: noAlerts,
      },
      {
        name: 'injury_discovery',
        enabled: true,
        priority: 'MEDIUM',
        decisionType: 'discovery',
        schedule: {
          kind: 'discovery',
          maxAttemptsPerDay: 12,
          retryIntervalHours: 2,
          requiresGameDay: false,
          discoveryDurationWeeks: 4,
        },
        steps: [{ name: 'main', type: 'single', scrapers: ['nbac_injury_report'], dependsOn: [] }],
        executionMode: 'sequential',
        maxWorkers: 10,
        requireAllCritical: false,
        alerts: { ...noAlerts, maxAttemptsReached: 'WARNING' },
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
        'wf.yaml: workflow wf: execution_plan.s1: depends_on names unknown step s0 (steps: s1; or a scraper of one of them)',
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
        'wf.yaml: workflow wf: schedule.ideal_window.end_hour: expected an hour 0-24',
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
        { schedule: { max_attempts_per_day: 0, retry_interval_hours: 1 } },
        'wf.yaml: workflow wf: schedule.max_attempts_per_day: expected an integer >= 1',
      ],
      [
        'a zero discovery retry interval',
        { schedule: { max_attempts_per_day: 3, retry_interval_hours: 0 } },
        'wf.yaml: workflow wf: schedule.retry_interval_hours: expected more than 0 hours',
      ],
      [
        'negative hours before the first game',
        {
          decision_type: 'game_aware',
          schedule: { window_before_game_hours: -1, frequency_hours: 2 },
        },
        'wf.yaml: workflow wf: schedule.window_before_game_hours: expected 0 or more hours',
      ],
      [
        'a zero game frequency',
        {
          decision_type: 'game_aware',
          schedule: { window_before_game_hours: 6, frequency_hours: 0 },
        },
        'wf.yaml: workflow wf: schedule.frequency_hours: expected more than 0 hours',
      ],
      [
        'business hours that end before they start',
        {
          decision_type: 'game_aware',
          schedule: {
            window_before_game_hours: 6,
            frequency_hours: 2,
            business_hours: { start: 23, end: 5 },
          },
        },
        'wf.yaml: workflow wf: schedule.business_hours: expected 0 <= start < end <= 24',
      ],
      [
        'a game_aware_yesterday schedule aimed at today',
        {
          decision_type: 'game_aware_yesterday',
          schedule: { target_date: 'today', fixed_time: '01:00', tolerance_minutes: 30 },
        },
        'wf.yaml: workflow wf: schedule.target_date: expected yesterday for game_aware_yesterday',
      ],
      [
        'a game_aware_early schedule without its cutoff',
        {
          decision_type: 'game_aware_early',
          schedule: { fixed_time: '15:00', tolerance_minutes: 30, collection_delay_hours: 3 },
        },
        'wf.yaml: workflow wf: schedule.early_game_cutoff_hour: Invalid input: expected number, received undefined',
      ],
      [
        'an alert level that is not a level, for a condition Shotclock raises',
        { alerts: { failure: 'LOUD' } },
        'wf.yaml: workflow wf: alerts.failure: expected CRITICAL, WARNING or INFO',
      ],
      [
        'a step that depends on its own scraper',
        { execution_plan: { s1: { type: 'single', scraper: 'a', depends_on: ['a'] } } },
        "wf.yaml: workflow wf: execution_plan.s1: depends_on names a, which is this step's own scraper",
      ],
      [
        'an unknown decision type',
        { decision_type: 'game_aware_late' },
        'wf.yaml: workflow wf: decision_type: Invalid option: expected one of "fixed_time"|"self_aware"|"game_aware"|"game_aware_yesterday"|"game_aware_early"|"discovery"',
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

    it('a missing file, by its path', () => {
      expect(() => loadWorkflowsDefinition('/nonexistent/workflows.yaml')).toThrow(
        '/nonexistent/workflows.yaml: cannot read the workflow configuration: it does not exist',
      );
    });
  });
});

describe('the production shape (test/fixtures/workflows-production.yaml)', () => {
  const definition = loadWorkflowsDefinition(PRODUCTION);

  it('boots, with every production key understood and only the unknown or dangling ones warned', () => {
    expect(definition.warnings).toEqual([
      { path: 'release_channel', message: 'unknown key, ignored' },
      { path: 'scrapers.game_lines.owner', message: 'unknown key, ignored' },
      {
        path: 'workflows.post_game_window_1.alerts.page_oncall',
        message: 'alert condition unknown to Shotclock: shown, never raised',
      },
      {
        path: 'workflows.early_game_window_1.schedule.retry_on_postponement',
        message: 'not a schedule key of decision_type game_aware_early; ignored',
      },
      {
        path: 'workflows.morning_operations.dependencies.required_for',
        message: 'names post_game_collection, which is not a workflow of this file',
      },
      {
        path: 'settings.notifications.email_enabled',
        message:
          'email is not supported: alerts are recorded and go to Slack (SLACK_WEBHOOK_URL) only',
      },
    ]);
    expect(definition.workflows.map((workflow) => [workflow.name, workflow.decisionType])).toEqual([
      ['morning_operations', 'self_aware'],
      ['betting_lines', 'game_aware'],
      ['post_game_window_1', 'fixed_time'],
      ['post_game_window_2', 'game_aware_yesterday'],
      ['early_game_window_1', 'game_aware_early'],
      ['injury_discovery', 'discovery'],
    ]);
  });

  it('reads depends_on as a string or a list, and step dependencies naming a scraper or a step', () => {
    expect(definition.scrapers.get('player_props')?.dependsOn).toEqual(['line_events']);
    expect(definition.scrapers.get('game_lines')?.dependsOn).toEqual(['line_events']);
    const steps = (name: string) =>
      definition.workflows.find((workflow) => workflow.name === name)!.steps;
    expect(steps('betting_lines').map((step) => [step.name, step.dependsOn])).toEqual([
      ['step_1', []],
      ['step_2', ['line_events']],
    ]);
    expect(steps('post_game_window_1').map((step) => [step.name, step.dependsOn])).toEqual([
      ['step_1', []],
      ['step_2', ['step_1']],
    ]);
  });

  it('keeps what it shows without using: settings, descriptions, shown alert conditions', () => {
    expect(definition.shown.settings).toMatchObject({
      daily_schedule_lock: { enabled: true, generation_time: '05:00' },
      cleanup_processor: { enabled: true, interval_minutes: 15, notification_threshold: 5 },
      monitoring: { enable_bigquery_logging: true, log_retention_days: 90 },
      notifications: { email_enabled: true, warning_channels: ['email'] },
    });
    expect(definition.shown.scrapers.get('line_events')).toEqual({
      description: 'Betting event ids; must run before props and game lines',
      module: 'scrapers.odds.line_events',
      dependency_for: ['player_props', 'game_lines'],
    });
    expect(definition.shown.workflows.get('betting_lines')).toEqual({
      description: null,
      alerts: { failure: 'CRITICAL', quota_warning_pct: 80 },
      dependencies: { requires: ['morning_operations'], required_for: [] },
    });
  });
});

describe('warnings (never a refusal)', () => {
  it('a typo in a workflow key is a warning with its path, and the workflow boots', () => {
    const definition = validateWorkflowsConfig(config({ max_worker: 3 }), FILE);
    expect(definition.warnings).toEqual([
      { path: 'workflows.wf.max_worker', message: 'unknown key, ignored' },
    ]);
    expect(definition.workflows[0]!.maxWorkers).toBe(10);
  });

  it('unknown keys at every depth: settings, nested settings, a step, business hours', () => {
    const raw = config(
      {
        decision_type: 'game_aware',
        schedule: {
          window_before_game_hours: 6,
          frequency_hours: 2,
          business_hours: { start: 8, end: 23, timezone: 'ET' },
        },
        execution_plan: { s1: { type: 'single', scraper: 'a', note: 'first' } },
      },
      {
        settings: {
          timezone: 'America/New_York',
          new_flag: true,
          scraper_timeouts: { default: 60, jitter: 5 },
        },
      },
    );
    expect(validateWorkflowsConfig(raw, FILE).warnings).toEqual([
      { path: 'settings.scraper_timeouts.jitter', message: 'unknown key, ignored' },
      { path: 'settings.new_flag', message: 'unknown key, ignored' },
      {
        path: 'workflows.wf.schedule.business_hours.timezone',
        message: 'not a schedule key of decision_type game_aware; ignored',
      },
      { path: 'workflows.wf.execution_plan.s1.note', message: 'unknown key, ignored' },
    ]);
  });

  it('a dependency_for that its scraper does not confirm with depends_on, both ways', () => {
    const raw = config(
      {},
      {
        scrapers: {
          a: { dependency_for: ['b'] },
          b: {},
          c: { depends_on: 'a' },
        },
      },
    );
    expect(validateWorkflowsConfig(raw, FILE).warnings).toEqual([
      {
        path: 'scrapers.a.dependency_for',
        message: 'lists b, whose depends_on does not name a; depends_on decides the order',
      },
      {
        path: 'scrapers.c.depends_on',
        message: 'names a, whose dependency_for does not list c',
      },
    ]);
  });

  it('a schedule key of another decision type', () => {
    const raw = config({
      decision_type: 'self_aware',
      schedule: { ideal_window: { start_hour: 6, end_hour: 10 }, fixed_time: '07:00' },
    });
    expect(validateWorkflowsConfig(raw, FILE).warnings).toEqual([
      {
        path: 'workflows.wf.schedule.fixed_time',
        message: 'not a schedule key of decision_type self_aware; ignored',
      },
    ]);
  });
});

describe('every problem once, at its root', () => {
  it('a scraper that fails its own validation is not reported again by what names it', () => {
    const raw = config(
      { execution_plan: { s1: { type: 'single', scraper: 'broken' } } },
      {
        scrapers: { broken: { critical: 'yes' }, a: { depends_on: ['broken'] } },
        settings: {
          timezone: 'America/New_York',
          scraper_timeouts: { overrides: { broken: 30 } },
        },
      },
    );
    (raw.workflows as Record<string, unknown>)['other'] = {
      priority: 'LOW',
      decision_type: 'fixed_time',
      schedule: { fixed_time: '10:00', tolerance_minutes: 5 },
      execution_plan: { type: 'parallel', scrapers: ['a', 'broken'] },
    };
    expect(problems(raw)).toEqual([
      'wf.yaml: scraper broken: critical: Invalid input: expected boolean, received string',
    ]);
  });

  it('a step that fails its own validation is not reported again by the step depending on it', () => {
    expect(
      problems(
        config({
          execution_plan: {
            s1: { type: 'single', scrapers: ['a', 'b'] },
            s2: { type: 'single', scraper: 'c', depends_on: ['s1'] },
            s3: { type: 'single', scraper: 'c2', depends_on: ['b'] },
          },
        }),
      ),
    ).toEqual([
      'wf.yaml: workflow wf: execution_plan.s1: a single step takes exactly one scraper (`scraper: name`)',
    ]);
  });

  it('a scraper whose name differs from its key, a bad environment and a non-string version', () => {
    const raw = { ...config({}, { scrapers: { a: { name: 'alpha' }, b: {}, c: {} } }) };
    expect(problems({ ...raw, environment: 'Prod!', version: 1 })).toEqual([
      'wf.yaml: file: version: expected a string such as "1.0"',
      'wf.yaml: file: environment: expected 1-63 lowercase letters, digits, _ or - (e.g. production, dev)',
      'wf.yaml: scraper a: name: alpha differs from its key a; make them equal',
    ]);
  });

  it('a scraper_timeouts override for a scraper that does not exist', () => {
    expect(
      problems(
        config(
          {},
          { settings: { timezone: 'UTC', scraper_timeouts: { overrides: { ghost: 10 } } } },
        ),
      ),
    ).toEqual([
      'wf.yaml: settings: scraper_timeouts.overrides: unknown scraper ghost (not under scrapers: in this file)',
    ]);
  });
});
