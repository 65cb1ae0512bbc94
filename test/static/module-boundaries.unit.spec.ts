import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { WITHOUT_TYPE_INFORMATION } from '../support/eslint-untyped.js';

/**
 * The module rules of src/modules/README.md: a feature module is used only through its public
 * entry, src/common never imports src/modules (eslint.config.js, `no-restricted-imports`), only
 * the configuration and the store are global Nest modules, and no import cycle joins feature
 * modules or the configuration and the store.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: WITHOUT_TYPE_INFORMATION,
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

/** The boundary messages ESLint gives `code` as if it were the file `path` (repo-relative). */
async function refusals(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = A;\n`, {
    filePath: join(ROOT, path),
  });
  return result!.messages.map((message) => message.message);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /(?<!\.spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;

/** `modules/<name>` or `common/<folder>` of a file under src/. */
function areaOf(path: string): string | null {
  const [top, name] = relative(SRC, path).split(sep);
  return (top === 'modules' || top === 'common') && name && !name.endsWith('.ts')
    ? `${top}/${name}`
    : null;
}

/** Which areas import which (relative imports of non-spec files under src/). */
function areaGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = areaOf(file);
    if (from === null) continue;
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = areaOf(resolve(dirname(file), specifier!));
      if (to === null || to === from) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Areas reachable from `start` (not counting itself unless a cycle leads back). */
function reachable(graph: Map<string, Set<string>>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(start) ?? [])];
  while (stack.length > 0) {
    const area = stack.pop()!;
    if (seen.has(area)) continue;
    seen.add(area);
    stack.push(...(graph.get(area) ?? []));
  }
  return seen;
}

describe('module boundaries', () => {
  it("refuses another module's internals from a module, naming that module's entry", async () => {
    const refused = await refusals(
      'src/modules/batches/batch-created.reaction.ts',
      "import { A } from '../dedup/quarantine/quarantine.service.js';",
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(
      "import dedup's public entry (src/modules/dedup/index.ts) instead",
    );
    const deep = await refusals(
      'src/modules/workflows/decisions/workflow-evaluation.service.ts',
      "import type { A } from '../../alerts/alert.service.js';",
    );
    expect(deep[0]).toContain("import alerts's public entry (src/modules/alerts/index.ts)");
    const reexport = await refusals(
      'src/modules/cost/queries/game-schedule.query.ts',
      "export { A } from '../../../modules/workflows/local-time.js';\nconst A = 1;",
    );
    expect(reexport[0]).toContain('src/modules/workflows/index.ts');
    expect(
      await refusals(
        'src/cli/import-legacy-batches.ts',
        "import { A } from '../modules/batches/legacy-import/import-summary.js';",
      ),
    ).toHaveLength(1);
  });

  it("accepts a module's entry, its own internals, and specs reaching inside", async () => {
    expect(
      await refusals('src/modules/batches/x.ts', "import { A } from '../dedup/index.js';"),
    ).toEqual([]);
    // workflows/alerts/ is the workflows module's own folder, not the alerts module.
    expect(
      await refusals(
        'src/modules/workflows/decisions/x.ts',
        "import { A } from '../alerts/workflow-alerts.service.js';",
      ),
    ).toEqual([]);
    expect(
      await refusals(
        'src/modules/batches/legacy-import/x.spec.ts',
        "import { A } from '../../dedup/push/push-pipeline.js';",
      ),
    ).toEqual([]);
  });

  it('refuses any import of src/modules from src/common', async () => {
    const refused = await refusals(
      'src/common/health/health.module.ts',
      "import { A } from '../../modules/workflows/index.js';",
    );
    expect(refused[0]).toContain('src/common is the kernel and must not import from src/modules');
  });

  it('finds no import across the boundaries in src/', async () => {
    const results = await eslint.lintFiles(['src/**/*.ts']);
    const broken = results.flatMap((result) =>
      result.messages.map((message) => `${relative(ROOT, result.filePath)}: ${message.message}`),
    );
    expect(broken).toEqual([]);
  });

  it('keeps only the configuration and the store global', () => {
    const global = sourceFiles(SRC)
      .filter((file) => /@Global\(\)|global: true/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file))
      .sort();
    expect(global).toEqual([
      'src/common/config/config.module.ts',
      'src/common/event-store/event-store.module.ts',
    ]);
  });

  it('has no import cycle between feature modules, nor from the configuration to the store', () => {
    const graph = areaGraph();
    const modules = [...graph.keys()].filter((area) => area.startsWith('modules/'));
    const cyclic = modules.filter((module) =>
      [...reachable(graph, module)].some(
        (other) => other.startsWith('modules/') && reachable(graph, other).has(module),
      ),
    );
    expect(cyclic).toEqual([]);
    expect([...reachable(graph, 'common/config')]).not.toContain('common/event-store');
  });
});
