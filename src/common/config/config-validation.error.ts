import type { ConfigIssue } from './config-issue.js';

/**
 * Thrown by `loadConfig` when any variable is bad. `lines` holds one line per bad variable,
 * all of them at once, in the form `NAME=<value as given, masked if sensitive>: expected <what>`.
 */
export class ConfigValidationError extends Error {
  readonly lines: readonly string[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = onePerVariable(issues);
    super(
      `invalid configuration, ${lines.length} bad variable(s):\n` +
        lines.map((line) => `  ${line}`).join('\n') +
        '\nfix them in the environment (or in the file named by SHOTCLOCK_ENV_FILE) and restart.',
    );
    this.name = 'ConfigValidationError';
    this.lines = Object.freeze(lines);
  }
}

/** Keeps the first issue of each variable, in the order found. */
function onePerVariable(issues: readonly ConfigIssue[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const issue of issues) {
    if (seen.has(issue.variable)) continue;
    seen.add(issue.variable);
    lines.push(issue.line);
  }
  return lines;
}
