import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { WorkflowsConfigError } from './workflows-config.error.js';

/** The parsed YAML of `path`, or a WorkflowsConfigError naming the file and what is wrong with it. */
export function readYamlFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error);
    throw new WorkflowsConfigError(path, [`${path}: cannot read the ${what}: ${reason}`]);
  }
  try {
    return parse(text);
  } catch (error) {
    throw new WorkflowsConfigError(path, [
      `${path}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
}
