// Module boundaries (src/modules/README.md), as `no-restricted-imports` patterns:
// - a feature module (src/modules/<b>) is used from outside only through its public entry,
//   src/modules/<b>/index.ts: importing src/modules/<b>/<anything else> fails;
// - the kernel (src/common) imports nothing from src/modules.
// Specs (and test/, bench/, simulate/) may reach inside a module: they test its parts.
// The rule sees import strings, not resolved paths, so there is one block per folder depth.
import { readdirSync } from 'node:fs';

const MODULES = readdirSync(new URL('./src/modules/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
/** Deeper than any folder of src/ today; a deeper one would go unchecked, so keep this above it. */
const MAX_DEPTH = 6;
const SPECS = ['**/*.spec.ts'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const up = (levels) => (levels === 0 ? '\\./' : `(?:\\.\\./){${levels}}`);
/** Folders below `base`: `base/*.ts`, `base/*\/*.ts`, ... */
const filesAt = (base, depth) => `${base}/${'*/'.repeat(depth)}*.ts`;

const entryOnly = (module) =>
  `import ${module}'s public entry (src/modules/${module}/index.ts) instead: ` +
  'other modules use a module only through its entry (src/modules/README.md)';

/** Patterns refusing another module's internals from a file `levels` folders below src/. */
function moduleInternals(levels, except) {
  return MODULES.filter((module) => module !== except).flatMap((module) => {
    const name = escape(module);
    const internal = `${name}/(?!index\\.js$)`;
    const message = entryOnly(module);
    const viaSrc = [
      { regex: `^${up(levels)}modules/${internal}`, message },
      { regex: `^${up(levels + 1)}src/modules/${internal}`, message },
    ];
    // From inside src/modules/<a>/ a sibling module is also reached as `../<b>/`.
    return except === undefined
      ? viaSrc
      : [{ regex: `^${up(levels - 1)}${internal}`, message }, ...viaSrc];
  });
}

function restrict(files, patterns) {
  return {
    files: [files],
    ignores: SPECS,
    rules: { 'no-restricted-imports': ['error', { patterns: patterns.map(caseSensitive) }] },
  };
}

const caseSensitive = (pattern) => ({ ...pattern, caseSensitive: true });

const depths = Array.from({ length: MAX_DEPTH }, (_, depth) => depth);

export const moduleBoundaries = [
  // Inside src/modules/<a>/ at depth d, src/ is d + 2 levels up.
  ...MODULES.flatMap((module) =>
    depths.map((depth) =>
      restrict(filesAt(`src/modules/${module}`, depth), moduleInternals(depth + 2, module)),
    ),
  ),
  // The command-line tools and the composition root (src/*.ts) use entries too.
  restrict(filesAt('src', 0), moduleInternals(0)),
  ...depths.map((depth) => restrict(filesAt('src/cli', depth), moduleInternals(depth + 1))),
  // The kernel never imports a feature module.
  ...depths.map((depth) =>
    restrict(filesAt('src/common', depth), [
      {
        regex: `^(?:${up(depth + 1)}modules/|${up(depth + 2)}src/modules/)`,
        message:
          'src/common is the kernel and must not import from src/modules: put a port in ' +
          'src/common and let the module implement and provide it (src/modules/README.md)',
      },
    ]),
  ),
];
