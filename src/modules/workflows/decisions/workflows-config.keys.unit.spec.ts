import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CONFIG_KEYS } from './workflows-config.keys.js';
import { loadWorkflowsDefinition } from './workflows-config.loader.js';

const PRODUCTION = fileURLToPath(
  new URL('../../../../test/fixtures/workflows-production.yaml', import.meta.url),
);

/** Every key path of the file, with scraper, workflow and step names (and open maps) generalised. */
function keyPaths(raw: Record<string, Record<string, unknown>>): Set<string> {
  const paths = new Set<string>();
  const add = (prefix: string, value: unknown, depth: number) => {
    if (value === undefined) return;
    if (depth === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) {
      paths.add(prefix);
      return;
    }
    for (const [key, child] of Object.entries(value)) add(`${prefix}.${key}`, child, depth - 1);
  };
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'settings') {
      for (const [setting, child] of Object.entries(value)) {
        if (['cleanup_processor', 'monitoring'].includes(setting)) {
          paths.add(`settings.${setting}.*`);
        } else if (setting === 'scraper_timeouts') {
          const { overrides: _, ...bounds } = child as Record<string, unknown>;
          add('settings.scraper_timeouts', bounds, 1);
          paths.add('settings.scraper_timeouts.overrides.<scraper>');
        } else add(`settings.${setting}`, child, 1);
      }
    } else if (key === 'scrapers') {
      for (const scraper of Object.values(value)) add('scrapers.<key>', scraper, 1);
    } else if (key === 'workflows') {
      for (const workflow of Object.values(value) as Array<Record<string, unknown>>) {
        const { schedule, alerts, dependencies, execution_plan: plan, ...rest } = workflow;
        add('workflows.<name>', rest, 1);
        add('workflows.<name>.schedule', schedule, 1);
        add('workflows.<name>.alerts', alerts, 1);
        add('workflows.<name>.dependencies', dependencies, 1);
        paths.add('workflows.<name>.execution_plan');
        const steps = 'type' in (plan as object) ? {} : (plan as Record<string, object>);
        for (const step of Object.values(steps)) {
          if ('depends_on' in step) paths.add('workflows.<name>.execution_plan.<step>.depends_on');
        }
      }
    } else paths.add(key);
  }
  paths.delete('workflows.<name>.schedule.ideal_window');
  for (const field of ['ideal_window', 'business_hours']) {
    if ([...paths].some((path) => path.startsWith(`workflows.<name>.schedule.${field}.`))) {
      for (const path of [...paths]) {
        if (path.startsWith(`workflows.<name>.schedule.${field}.`)) paths.delete(path);
      }
      paths.add(`workflows.<name>.schedule.${field}`);
    }
  }
  return paths;
}

describe('CONFIG_KEYS (what each production key is used for)', () => {
  const raw = parse(readFileSync(PRODUCTION, 'utf8')) as Record<string, Record<string, unknown>>;
  const catalogued = new Set(CONFIG_KEYS.map((entry) => entry.key));
  const warned = loadWorkflowsDefinition(PRODUCTION).warnings.map((warning) =>
    warning.path
      .replace(/^scrapers\.[^.]+/, 'scrapers.<key>')
      .replace(/^workflows\.[^.]+/, 'workflows.<name>'),
  );

  it('lists every key of the production shape that does not draw a warning, once', () => {
    const unlisted = [...keyPaths(raw)].filter(
      (path) => !catalogued.has(path) && !warned.includes(path),
    );
    expect(unlisted).toEqual([]);
    expect(catalogued.size).toBe(CONFIG_KEYS.length);
  });

  it('does not list a key that draws an unknown-key warning', () => {
    const unknownKeys = warned.filter((path) =>
      ['release_channel', 'scrapers.<key>.owner'].includes(path),
    );
    expect(unknownKeys).toHaveLength(2);
    for (const path of unknownKeys) expect(catalogued.has(path)).toBe(false);
  });
});
