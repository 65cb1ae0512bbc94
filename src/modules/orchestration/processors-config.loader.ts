import { parseYamlText, readYamlConfigFile } from '../../common/config/yaml-config-file.js';
import {
  processorsFileSchema,
  type ProcessorEntry,
  type ProcessorsFile,
} from './processors-config.schema.js';
import { PHASE2, type PhaseProcessors, type ProcessorsConfig } from './processors-config.js';

/** The processors file cannot be used: the boot stops with this message. */
export class ProcessorsConfigError extends Error {
  constructor(path: string, problems: readonly string[]) {
    super(
      `invalid processors config ${path} (PROCESSORS_CONFIG_PATH): ${problems.join('; ')}; ` +
        'fix the file and restart',
    );
    this.name = 'ProcessorsConfigError';
  }
}

/** Reads, parses and validates the processors YAML file; the result is deeply frozen. */
export function loadProcessorsConfig(path: string): ProcessorsConfig {
  return validateProcessorsConfig(readYamlConfigFile(path, 'the file', failFor(path)), path);
}

/** Validates the YAML text of a processors file (`path` only names it in errors). */
export function parseProcessorsConfig(text: string, path: string): ProcessorsConfig {
  return validateProcessorsConfig(parseYamlText(text, failFor(path)), path);
}

const failFor = (path: string) => (problem: string) => new ProcessorsConfigError(path, [problem]);

function validateProcessorsConfig(raw: unknown, path: string): ProcessorsConfig {
  const parsed = processorsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProcessorsConfigError(
      path,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`),
    );
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new ProcessorsConfigError(path, problems);
  const phases = Object.fromEntries(
    Object.entries(parsed.data.phases).map(([phase, spec]) => [
      phase,
      phaseProcessors(phase, spec),
    ]),
  );
  return Object.freeze({ path, phases: Object.freeze(phases) });
}

type PhaseSpec = ProcessorsFile['phases'][string];

function phaseProcessors(phase: string, spec: PhaseSpec): PhaseProcessors {
  const required = spec.required.map(nameOf);
  const listed = [...spec.tracked, ...spec.optional].map(nameOf);
  // Production's class map names targets that are neither waited for nor listed: tracked.
  const aliasOnly = Object.values(spec.aliases).filter(
    (target) => !required.includes(target) && !listed.includes(target),
  );
  return Object.freeze<PhaseProcessors>({
    phase,
    required: Object.freeze(required),
    tracked: Object.freeze([...new Set([...listed, ...aliasOnly])]),
    treatNoDataAsSuccess: Object.freeze(
      [...spec.required, ...spec.tracked, ...spec.optional]
        .filter((entry) => typeof entry !== 'string' && entry.treat_no_data_as_success)
        .map(nameOf),
    ),
    aliases: Object.freeze({ ...spec.aliases }),
  });
}

function crossFieldProblems(file: ProcessorsFile): string[] {
  const problems: string[] = [];
  if (!file.phases[PHASE2]) {
    problems.push(
      `phases.${PHASE2}: missing (the phase-2 fan-in needs its expected processors); ` +
        `configured phases: ${Object.keys(file.phases).join(', ') || 'none'}`,
    );
  }
  for (const [phase, spec] of Object.entries(file.phases)) {
    const seen = new Map<string, string>();
    for (const [list, entries] of [
      ['required', spec.required],
      ['tracked', spec.tracked],
      ['optional', spec.optional],
    ] as const) {
      for (const name of entries.map(nameOf)) {
        const first = seen.get(name);
        if (first) problems.push(listedTwice(phase, list, first, name));
        seen.set(name, list);
      }
    }
  }
  return problems;
}

function listedTwice(phase: string, list: string, first: string, name: string): string {
  if (first === list) return `phases.${phase}.${list}: ${name} is listed twice`;
  if (first === 'required') {
    return `phases.${phase}: ${name} is both required and ${list}; keep it in one list`;
  }
  return (
    `phases.${phase}: ${name} is both ${first} and ${list}, which mean the same ` +
    '(recorded and shown, never waited for); keep it in one list'
  );
}

function nameOf(entry: ProcessorEntry): string {
  return typeof entry === 'string' ? entry : entry.name;
}
