import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { errorMessage } from '../errors/error-message.js';

/** Builds the error a loader throws for a problem with its file (it adds the file's name). */
export type ConfigFileProblem = (problem: string) => Error;

/** Why a file cannot be read, in words: `it does not exist` or the system's message. */
export function unreadableReason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error);
}

/** The parsed YAML of a config file (`what` names it in messages: "the workflow configuration"). */
export function readYamlConfigFile(path: string, what: string, fail: ConfigFileProblem): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fail(`cannot read ${what}: ${unreadableReason(error)}`);
  }
  return parseYamlText(text, fail);
}

export function parseYamlText(text: string, fail: ConfigFileProblem): unknown {
  try {
    return parse(text);
  } catch (error) {
    throw fail(`not valid YAML: ${errorMessage(error)}`);
  }
}
