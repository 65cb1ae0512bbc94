import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configIssue, type ConfigIssue } from './config-issue.js';
import { unreadableReason } from './yaml-config-file.js';

/** The variable naming the env file read beneath the real environment. */
export const ENV_FILE_VARIABLE = 'SHOTCLOCK_ENV_FILE';

/** One KEY=VALUE line of an env file, with its line number for error messages. */
export interface EnvFileEntry {
  readonly value: string;
  readonly lineNumber: number;
}

export interface EnvFile {
  readonly path: string;
  readonly entries: ReadonlyMap<string, EnvFileEntry>;
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;

/**
 * Reads an env file: `KEY=VALUE` lines (an optional `export ` prefix, optional matching quotes
 * around the value), `#` comment lines and blank lines. A missing file, a line that is not
 * KEY=VALUE, or a key set twice is an issue on SHOTCLOCK_ENV_FILE.
 */
export function readEnvFile(path: string): { file: EnvFile; issues: ConfigIssue[] } {
  const empty: EnvFile = { path, entries: new Map() };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = unreadableReason(error);
    return {
      file: empty,
      issues: [
        configIssue(
          ENV_FILE_VARIABLE,
          path,
          `a readable env file, but ${reason} (resolved to ${resolve(path)})`,
        ),
      ],
    };
  }
  return parseEnvFile(text, path);
}

/** Parses env file text; `path` only names the file in issues. */
export function parseEnvFile(text: string, path: string): { file: EnvFile; issues: ConfigIssue[] } {
  const entries = new Map<string, EnvFileEntry>();
  const problems: string[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((rawLine, index) => {
      const lineNumber = index + 1;
      const line = rawLine.trim();
      if (line === '' || line.startsWith('#')) return;
      const match = ASSIGNMENT.exec(line);
      if (!match) {
        problems.push(`line ${lineNumber} is not KEY=VALUE: "${line}"`);
        return;
      }
      const [, key, rawValue] = match as unknown as [string, string, string];
      const previous = entries.get(key);
      if (previous) {
        problems.push(`${key} is set twice, on lines ${previous.lineNumber} and ${lineNumber}`);
        return;
      }
      entries.set(key, { value: unquote(rawValue.trim()), lineNumber });
    });
  const issues = problems.length
    ? [
        configIssue(
          ENV_FILE_VARIABLE,
          path,
          `an env file of KEY=VALUE lines, but ${problems.join('; ')}`,
        ),
      ]
    : [];
  return { file: { path, entries }, issues };
}

function unquote(value: string): string {
  const quoted =
    value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0];
  return quoted ? value.slice(1, -1) : value;
}
