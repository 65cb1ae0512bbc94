import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_ENTRY } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * A production-shape file holding several errors at every level, each with follow-on references
 * that must not be reported again (a broken scraper used by two workflows and named by another
 * scraper and a timeout override, a broken step another step depends on), and unknown keys that
 * are only warnings.
 */
const BROKEN = `version: 2
environment: production
settings:
  timezone: America/Springfield
  surprise_setting: true
  scraper_timeouts: { default: 180, overrides: { feed: 60, phantom: 30 } }
scrapers:
  feed: { name: feed, critical: maybe }
  props: { name: props, depends_on: feed, dependency_for: [ghost_scraper] }
  a: { name: a, depends_on: [b] }
  b: { name: b, depends_on: a }
  renamed: { name: other_name }
workflows:
  morning:
    priority: HIGH
    decision_type: self_aware
    schedule: { ideal_window: { start_hour: 10, end_hour: 6 }, run_once_daily: true }
    execution_plan: { type: parallel, scrapers: [feed, props] }
    owner: data-team
  lines:
    priority: URGENT
    decision_type: game_aware
    schedule: { window_before_game_hours: 12, frequency_hours: 2 }
    execution_plan:
      step_1: { type: single, scrapers: [feed, props] }
      step_2: { type: parallel, scrapers: [a], depends_on: [step_1] }
      step_3: { type: parallel, scrapers: [b], depends_on: [step_9] }
    dependencies: { required_for: [nowhere] }
  nightly:
    priority: LOW
    decision_type: discovery
    schedule: { max_attempts_per_day: 0, retry_interval_hours: 2 }
    execution_plan: { type: single, scraper: ghost }
    alerts: { failure: LOUD }
`;

describe('a workflows file with several errors (one boot lists every problem, each once)', () => {
  const dir = makeTempDir('shotclock-wf-production-errors-');
  const path = join(dir.path, 'workflows.yaml');
  writeFileSync(path, BROKEN);
  afterAll(() => dir.cleanup());

  const expected = [
    'file: version: expected a string such as "1.0"',
    'settings: timezone: America/Springfield is not an IANA time zone (e.g. America/New_York)',
    'scraper feed: critical: Invalid input: expected boolean, received string',
    'scraper renamed: name: other_name differs from its key renamed; make them equal',
    'scrapers: props: dependency_for names unknown scraper ghost_scraper',
    'scrapers: scraper dependency cycle a -> b -> a',
    'settings: scraper_timeouts.overrides: unknown scraper phantom (not under scrapers: in this file)',
    'workflow morning: schedule.ideal_window: expected 0 <= start_hour < end_hour <= 24',
    'workflow lines: priority: Invalid option: expected one of "CRITICAL"|"HIGH"|"MEDIUM"|"LOW"',
    'workflow lines: execution_plan.step_1: a single step takes exactly one scraper (`scraper: name`)',
    'workflow lines: execution_plan.step_3: depends_on names unknown step step_9 (steps: step_2, step_3; or a scraper of one of them)',
    'workflow nightly: alerts.failure: expected CRITICAL, WARNING or INFO',
    'workflow nightly: schedule.max_attempts_per_day: expected an integer >= 1',
    'workflow nightly: execution_plan: unknown scraper ghost (not under scrapers: in this file)',
  ].map((line) => `${path}: ${line}`);

  it('the service exits non-zero, listing every problem once, at its root, and no warning as a problem', () => {
    const result = spawnSync(process.execPath, [SERVICE_ENTRY], {
      env: {
        PATH: process.env.PATH,
        WORKFLOWS_CONFIG_PATH: path,
        SQLITE_PATH: join(dir.path, 'never.sqlite'),
        PORT: '0',
        HOST: '127.0.0.1',
      },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    const output = result.stdout + result.stderr;
    const header = `invalid workflow configuration in ${path} (14 problems); fix the file and restart:`;
    expect(output).toContain(header);
    const listed = output
      .slice(output.indexOf(header) + header.length)
      .split('\n')
      .slice(1)
      .filter((line) => line.startsWith(`  ${path}: `))
      .map((line) => line.trim());
    expect(listed).toEqual(expected);
    const occurrences = (line: string) => output.split(line).length - 1;
    expect(expected.map((line) => [line, occurrences(line)])).toEqual(
      expected.map((line) => [line, 1]),
    );
    // Unknown keys are not problems.
    expect(output).not.toContain('surprise_setting');
    expect(output).not.toContain('owner');
  });
});
