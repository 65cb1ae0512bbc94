// Renders the generated blocks of docs/configuration.md from the configuration definitions:
// the namespaces' EnvVars, FEATURE_FLAG_DEFINITIONS (with the day-1 values of
// config/rollout-day1.env) and TimeoutConfig with PRODUCTION_TIMEOUTS_MS.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inlineText } from './inline-text.mjs';
import { classPropertyDocs, namespaceSummary } from './source-comments.reader.mjs';

export const CONFIG_DIR = 'src/common/config';
export const NAMESPACES_DIR = `${CONFIG_DIR}/namespaces`;
export const DAY1_ENV_FILE = 'config/rollout-day1.env';

/** Where each namespace's variables are explained further; a namespace missing here gets no link. */
const NAMESPACE_PAGES = {
  server: 'security.md',
  store: 'operations.md#stores',
  logging: 'operations.md#logs',
  health: 'operations.md#health-and-metrics',
  ingestion: 'ingestion.md',
  'push-auth': 'security.md#pubsub-push',
  orchestration: 'phases.md',
  alerts: 'alerts.md',
  workflows: 'workflows.md',
  analytics: 'cost.md',
};

/**
 * Gathers what the reference is rendered from. `config` is the config module (its index, from
 * src/ in tests or dist/ in the script), `loadNamespace(name)` imports the namespace module
 * `<name>.config`, `readEnvFile` is the config's own env-file reader.
 */
export async function collectConfiguration({ config, loadNamespace, readEnvFile }) {
  const names = readdirSync(NAMESPACES_DIR)
    .filter((file) => file.endsWith('.config.ts'))
    .map((file) => file.slice(0, -'.config.ts'.length));
  const namespaces = [];
  for (const name of names) {
    const module = await loadNamespace(name);
    const vars = Object.entries(module)
      .filter(([key]) => key.endsWith('_VARS'))
      .flatMap(([, group]) => Object.values(group));
    const file = `${NAMESPACES_DIR}/${name}.config.ts`;
    namespaces.push({ name, file, summary: namespaceSummary(file), vars });
  }
  const { file: day1, issues } = readEnvFile(DAY1_ENV_FILE);
  if (issues.length > 0) throw new Error(`${DAY1_ENV_FILE}: ${JSON.stringify(issues)}`);
  const timeoutDocs = classPropertyDocs(join(CONFIG_DIR, 'timeout.config.ts'), 'TimeoutConfig');
  return {
    namespaces,
    namespaceOrder: config.NAMESPACE_VARS.map((variable) => variable.name),
    flags: config.FEATURE_FLAG_DEFINITIONS,
    day1: new Map([...day1.entries].map(([key, entry]) => [key, entry.value])),
    timeouts: config.TIMEOUT_NAMES.map((name) => {
      const doc = timeoutDocs.find((property) => property.name === name);
      return {
        property: name,
        envName: config.timeoutEnvName(name),
        defaultMs: config.PRODUCTION_TIMEOUTS_MS[name],
        section: doc?.section ?? '',
        description: doc?.description ?? '',
      };
    }),
    knownNames: new Set([...config.knownVariableNames(), config.ENV_FILE_VARIABLE]),
    envFileVariable: config.ENV_FILE_VARIABLE,
  };
}

/** The blocks `config:variables`, `config:flags` and `config:timeouts`, by name. */
export function renderConfiguration(input) {
  const renames = new Map(input.timeouts.map((timeout) => [timeout.property, timeout.envName]));
  const text = (description) => inlineText(description, input.knownNames, renames);
  checkComplete(input);
  return {
    'config:variables': renderNamespaces(input, text),
    'config:flags': renderFlags(input, text),
    'config:timeouts': renderTimeouts(input, text),
  };
}

function checkComplete(input) {
  const rendered = new Set([
    input.envFileVariable,
    ...input.namespaces.flatMap((namespace) => namespace.vars.map((variable) => variable.name)),
    ...Object.keys(input.flags),
    ...input.timeouts.map((timeout) => timeout.envName),
  ]);
  const missing = [...input.knownNames].filter((name) => !rendered.has(name));
  const unknown = [...rendered].filter((name) => !input.knownNames.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `configuration reference: read by the service but in no namespace file of ${NAMESPACES_DIR}: [${missing.join(', ')}]; ` +
        `in a namespace file but not read (add its *_VARS to NAMESPACE_VARS in ${CONFIG_DIR}/app-config.ts): [${unknown.join(', ')}]`,
    );
  }
  const undocumented = input.timeouts.filter((timeout) => !timeout.description);
  if (undocumented.length > 0) {
    throw new Error(
      `configuration reference: TimeoutConfig properties without a doc comment in ${CONFIG_DIR}/timeout.config.ts: ${undocumented.map((timeout) => timeout.property).join(', ')}`,
    );
  }
}

function renderNamespaces(input, text) {
  const rank = (namespace) => {
    const index = input.namespaceOrder.indexOf(namespace.vars[0]?.name);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...input.namespaces]
    .filter((namespace) => namespace.vars.length > 0)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
    .map((namespace) => {
      const summary = namespace.summary ? `${text(namespace.summary)} ` : '';
      const page = NAMESPACE_PAGES[namespace.name];
      const more = page ? `; more in [${page.split('#')[0]}](${page})` : '';
      const items = namespace.vars.map(
        (variable) =>
          `- \`${variable.name}\` (default ${defaultText(variable.defaultText)}): ${text(variable.description)} Value: ${text(variable.expected)}.`,
      );
      return [
        `### ${title(namespace.name)}`,
        `${summary}(\`${namespace.file}\`${more})`,
        items.join('\n'),
      ].join('\n\n');
    })
    .join('\n\n');
}

function renderFlags(input, text) {
  return Object.entries(input.flags)
    .map(([name, flag]) => {
      const day1 = input.day1.has(name) ? `, day 1 \`${input.day1.get(name)}\`` : '';
      const head =
        flag.kind === 'boolean'
          ? `boolean, unit \`${flag.unit}\`; fresh install \`${flag.defaultValue}\`${day1}`
          : `number; default \`${flag.defaultValue}\`${day1}`;
      const value = flag.kind === 'number' ? ` Value: ${text(flag.expected)}.` : '';
      return `- \`${name}\` (${head}): ${text(flag.description)}${value}`;
    })
    .join('\n');
}

function renderTimeouts(input, text) {
  const sections = [...new Set(input.timeouts.map((timeout) => timeout.section))];
  return sections
    .map((section) => {
      const items = input.timeouts
        .filter((timeout) => timeout.section === section)
        .map(
          (timeout) =>
            `- \`${timeout.envName}\` (default \`${timeout.defaultMs}\`, ${duration(timeout.defaultMs)}): ${text(timeout.description)}`,
        );
      return [section ? `### ${capitalise(section)}` : '', items.join('\n')]
        .filter(Boolean)
        .join('\n\n');
    })
    .join('\n\n');
}

function defaultText(text) {
  if (text === '(unset)') return 'unset';
  const valueWithNote = /^(\S+)( \(.+\))?$/.exec(text);
  return valueWithNote ? `\`${valueWithNote[1]}\`${valueWithNote[2] ?? ''}` : text;
}

function title(name) {
  return capitalise(name.replace(/-/g, ' '));
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** In the largest unit that holds it whole: 21600000 -> '6 h', 190000 -> '190 s', 5 -> '5 ms'. */
function duration(ms) {
  const units = [
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  const [size, unit] = units.find(([size]) => ms >= size && ms % size === 0) ?? [1, 'ms'];
  return `${ms / size} ${unit}`;
}
