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
      Object.freeze<PhaseProcessors>({
        phase,
        required: Object.freeze(spec.required.map(nameOf)),
        optional: Object.freeze(spec.optional.map(nameOf)),
        treatNoDataAsSuccess: Object.freeze(
          [...spec.required, ...spec.optional]
            .filter((entry) => typeof entry !== 'string' && entry.treat_no_data_as_success)
            .map(nameOf),
        ),
        aliases: Object.freeze({ ...spec.aliases }),
      }),
    ]),
  );
  return Object.freeze({ path, phases: Object.freeze(phases) });
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
      ['optional', spec.optional],
    ] as const) {
      for (const name of entries.map(nameOf)) {
        const first = seen.get(name);
        if (first) {
          problems.push(
            first === list
              ? `phases.${phase}.${list}: ${name} is listed twice`
              : `phases.${phase}: ${name} is both required and optional; keep it in one list`,
          );
        }
        seen.set(name, list);
      }
    }
    for (const [alias, target] of Object.entries(spec.aliases)) {
      if (!seen.has(target)) {
        problems.push(
          `phases.${phase}.aliases.${alias}: targets ${target}, which is neither required nor optional in ${phase}`,
        );
      }
    }
  }
  return problems;
}

function nameOf(entry: ProcessorEntry): string {
  return typeof entry === 'string' ? entry : entry.name;
}
