import type { ConfigWarning, ScraperDefinition } from '../workflow-config.types.js';
import { dependencyOrder } from './dependency-order.js';
import { parseTolerant } from './tolerant-parse.js';
import { nameSchema, rawScraperSchema } from './workflows-config.schema.js';

/** A problem found, with where it is (`scraper <name>`, `scrapers`). */
export interface PlacedProblem {
  where: string;
  problem: string;
}

export interface ScrapersSection {
  /** The scrapers that passed their own validation. */
  scrapers: Map<string, ScraperDefinition>;
  /**
   * Every name declared under `scrapers:`, valid or not: a reference to a declared scraper that
   * failed its own validation is not reported again (it is reported once, at its root).
   */
  declared: ReadonlySet<string>;
  /** Shown keys of each valid scraper (snake_case). */
  shown: Map<string, Record<string, unknown>>;
  problems: PlacedProblem[];
  warnings: ConfigWarning[];
}

/** Validates `scrapers:` on its own and across scrapers (references, cycles, inverse lists). */
export function validateScrapers(raw: Record<string, unknown>): ScrapersSection {
  const section: ScrapersSection = {
    scrapers: new Map(),
    declared: new Set(Object.keys(raw)),
    shown: new Map(),
    problems: [],
    warnings: [],
  };
  const dependencyFor = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(raw)) {
    const where = `scraper ${name}`;
    const validName = nameSchema.safeParse(name);
    if (!validName.success) {
      section.problems.push({ where, problem: validName.error.issues[0]!.message });
      continue;
    }
    const parsed = parseTolerant(rawScraperSchema, value ?? {}, `scrapers.${name}`);
    section.warnings.push(...parsed.warnings);
    if (!parsed.ok) {
      section.problems.push(...parsed.problems.map((problem) => ({ where, problem })));
      continue;
    }
    const scraper = parsed.data;
    if (scraper.name !== undefined && scraper.name !== name) {
      section.problems.push({
        where,
        problem: `name: ${scraper.name} differs from its key ${name}; make them equal`,
      });
      continue;
    }
    section.scrapers.set(name, {
      name,
      critical: scraper.critical,
      processorName: scraper.processor_name ?? null,
      estimatedDurationSeconds: scraper.estimated_duration_seconds ?? null,
      dependsOn: scraper.depends_on,
      treatNoDataAsSuccess: scraper.treat_no_data_as_success,
    });
    dependencyFor.set(name, scraper.dependency_for);
    section.shown.set(name, {
      description: scraper.description ?? null,
      module: scraper.module ?? null,
      dependency_for: scraper.dependency_for,
    });
  }
  crossCheck(section, dependencyFor);
  return section;
}

function crossCheck(
  section: ScrapersSection,
  dependencyFor: ReadonlyMap<string, readonly string[]>,
): void {
  const { scrapers, declared } = section;
  const unknown = (name: string) => !declared.has(name);
  for (const scraper of scrapers.values()) {
    for (const dependency of scraper.dependsOn.filter(unknown)) {
      section.problems.push({
        where: 'scrapers',
        problem: `${scraper.name}: depends_on names unknown scraper ${dependency}`,
      });
    }
    for (const dependent of (dependencyFor.get(scraper.name) ?? []).filter(unknown)) {
      section.problems.push({
        where: 'scrapers',
        problem: `${scraper.name}: dependency_for names unknown scraper ${dependent}`,
      });
    }
  }
  const order = dependencyOrder(
    new Map(
      [...scrapers].map(([name, scraper]) => [
        name,
        scraper.dependsOn.filter((dependency) => scrapers.has(dependency)),
      ]),
    ),
  );
  if (!order.ok) {
    section.problems.push({
      where: 'scrapers',
      problem: `scraper dependency cycle ${order.cycle.join(' -> ')}`,
    });
  }
  // dependency_for is the inverse of depends_on: a one-sided entry is a warning.
  for (const [name, dependents] of dependencyFor) {
    for (const dependent of dependents) {
      const other = scrapers.get(dependent);
      if (other && !other.dependsOn.includes(name)) {
        section.warnings.push({
          path: `scrapers.${name}.dependency_for`,
          message: `lists ${dependent}, whose depends_on does not name ${name}; depends_on decides the order`,
        });
      }
    }
  }
  for (const scraper of scrapers.values()) {
    for (const dependency of scraper.dependsOn) {
      const inverse = dependencyFor.get(dependency);
      if (inverse && inverse.length > 0 && !inverse.includes(scraper.name)) {
        section.warnings.push({
          path: `scrapers.${scraper.name}.depends_on`,
          message: `names ${dependency}, whose dependency_for does not list ${scraper.name}`,
        });
      }
    }
  }
}
