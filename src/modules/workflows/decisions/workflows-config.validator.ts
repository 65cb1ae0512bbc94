import type {
  ConfigWarning,
  ScraperTimeouts,
  WorkflowDefinition,
  WorkflowsDefinition,
} from '../workflow-config.types.js';
import { isValidTimeZone } from '../local-time.js';
import { validateScrapers, type PlacedProblem } from './scrapers-config.validator.js';
import { parseTolerant } from './tolerant-parse.js';
import { validateWorkflowEntry } from './workflow-entry.validator.js';
import {
  nameSchema,
  rawSettingsSchema,
  rawTopSchema,
  type RawSettings,
} from './workflows-config.schema.js';
import { WorkflowsConfigError } from './workflows-config.error.js';

/**
 * Validates parsed workflows YAML (production shape) into a WorkflowsDefinition, or throws a
 * WorkflowsConfigError listing every problem once, at its root, each line
 * `<source>: <where>: <problem>` (where = `file`, `settings`, `scrapers`, `scraper <name>` or
 * `workflow <name>`). Unknown keys and one-sided references are warnings, kept on the definition.
 */
export function validateWorkflowsConfig(raw: unknown, source: string): WorkflowsDefinition {
  const problems: PlacedProblem[] = [];
  const warnings: ConfigWarning[] = [];
  const fail = (where: string, lines: readonly string[]) =>
    problems.push(...lines.map((problem) => ({ where, problem })));

  const top = parseTolerant(rawTopSchema, raw ?? {}, '');
  warnings.push(...top.warnings);
  if (!top.ok) fail('file', top.problems);
  const sections = isRecord(raw) ? raw : {};

  const settings = isRecord(sections['settings'])
    ? parseTolerant(rawSettingsSchema, sections['settings'], 'settings')
    : null;
  if (settings) warnings.push(...settings.warnings);
  if (settings && !settings.ok) fail('settings', settings.problems);
  if (settings?.ok && !isValidTimeZone(settings.data.timezone)) {
    fail('settings', [
      `timezone: ${settings.data.timezone} is not an IANA time zone (e.g. America/New_York)`,
    ]);
  }

  const rawScrapers = isRecord(sections['scrapers']) ? sections['scrapers'] : null;
  const scraperSection = validateScrapers(rawScrapers ?? {});
  problems.push(...scraperSection.problems);
  warnings.push(...scraperSection.warnings);
  const { scrapers } = scraperSection;
  const references = {
    valid: new Set(scrapers.keys()),
    declared: rawScrapers ? scraperSection.declared : null,
  };

  if (settings?.ok && references.declared) {
    for (const scraper of Object.keys(settings.data.scraper_timeouts?.overrides ?? {})) {
      if (!references.declared.has(scraper)) {
        fail('settings', [
          `scraper_timeouts.overrides: unknown scraper ${scraper} (not under scrapers: in this file)`,
        ]);
      }
    }
  }

  const rawWorkflows = isRecord(sections['workflows']) ? sections['workflows'] : {};
  const workflows: WorkflowDefinition[] = [];
  const shownWorkflows = new Map<string, Record<string, unknown>>();
  const dependencies = new Map<string, { requires: string[]; required_for: string[] }>();
  for (const [name, value] of Object.entries(rawWorkflows)) {
    const validName = nameSchema.safeParse(name);
    if (!validName.success) {
      fail(`workflow ${name}`, [validName.error.issues[0]!.message]);
      continue;
    }
    const result = validateWorkflowEntry(name, value, references);
    warnings.push(...result.warnings);
    if (!result.ok) {
      fail(`workflow ${name}`, result.problems);
      continue;
    }
    workflows.push(result.workflow);
    shownWorkflows.set(name, result.shown);
    dependencies.set(name, result.dependencies);
  }
  warnings.push(...dependencyWarnings(dependencies, new Set(Object.keys(rawWorkflows))));
  if (settings?.ok && settings.data.notifications?.email_enabled) {
    warnings.push({
      path: 'settings.notifications.email_enabled',
      message:
        'email is not supported: alerts are recorded and go to Slack (SLACK_WEBHOOK_URL) only',
    });
  }

  if (problems.length > 0 || !settings?.ok || !top.ok) {
    throw new WorkflowsConfigError(
      source,
      problems.map(({ where, problem }) => `${source}: ${where}: ${problem}`),
    );
  }
  const data = settings.data;
  return {
    source,
    version: top.data.version ?? null,
    environment: top.data.environment ?? null,
    timezone: data.timezone,
    controllerIntervalMinutes: data.controller_interval_minutes,
    scheduleRefreshIntervalHours: data.schedule_refresh_interval_hours ?? null,
    scraperTimeouts: scraperTimeouts(data),
    scrapers,
    workflows,
    warnings,
    shown: { settings: data, scrapers: scraperSection.shown, workflows: shownWorkflows },
  };
}

function scraperTimeouts(settings: RawSettings): ScraperTimeouts | null {
  const timeouts = settings.scraper_timeouts;
  if (!timeouts) return null;
  return {
    defaultSeconds: timeouts.default ?? null,
    futureOverheadSeconds: timeouts.future_overhead ?? null,
    overrides: new Map(Object.entries(timeouts.overrides)),
  };
}

/** `dependencies.requires` / `required_for` naming something that is not a workflow. */
function dependencyWarnings(
  dependencies: ReadonlyMap<string, { requires: string[]; required_for: string[] }>,
  workflowNames: ReadonlySet<string>,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const [name, { requires, required_for }] of dependencies) {
    for (const [field, names] of [
      ['requires', requires],
      ['required_for', required_for],
    ] as const) {
      for (const other of names.filter((candidate) => !workflowNames.has(candidate))) {
        warnings.push({
          path: `workflows.${name}.dependencies.${field}`,
          message: `names ${other}, which is not a workflow of this file`,
        });
      }
    }
  }
  return warnings;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
