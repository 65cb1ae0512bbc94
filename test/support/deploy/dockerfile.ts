import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile: `RUN npm ci` -> { keyword: 'RUN', args: 'npm ci' }. */
export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

/** A build stage: its `FROM` arguments and the instructions after it. */
export interface DockerStage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly DockerInstruction[];
}

export interface Dockerfile {
  /** `ARG`s before the first `FROM`, name -> default. */
  readonly globalArgs: ReadonlyMap<string, string>;
  readonly stages: readonly DockerStage[];
}

/** Parses the instructions of a Dockerfile (comments dropped, `\` continuations joined). */
export function readDockerfile(path: string): Dockerfile {
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs = new Map<string, string>();
  const stages: { from: string; name: string | undefined; instructions: DockerInstruction[] }[] =
    [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() };
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.args.split('=');
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The image a stage starts from, with `${ARG}` replaced by the global ARG defaults. */
export function stageBase(dockerfile: Dockerfile, stage: DockerStage): string {
  return stage.from.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    const value = dockerfile.globalArgs.get(name);
    if (value === undefined) throw new Error(`FROM ${stage.from}: no ARG ${name} before it`);
    return value;
  });
}

/** The `ENV` variables a stage sets, name -> value (the `KEY=value` form). */
export function stageEnvironment(stage: DockerStage): Map<string, string> {
  const env = new Map<string, string>();
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const [, key = '', value = ''] of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env.set(key, value.replace(/^"|"$/g, ''));
    }
  }
  return env;
}

/** The arguments of a stage's last instruction of `keyword`, or undefined. */
export function lastInstruction(stage: DockerStage, keyword: string): string | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
}
