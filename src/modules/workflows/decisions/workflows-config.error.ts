/** config/workflows.yaml (or the game schedule) is invalid: every problem, one line each. */
export class WorkflowsConfigError extends Error {
  constructor(
    readonly source: string,
    readonly lines: readonly string[],
  ) {
    super(
      `invalid workflow configuration in ${source} (${lines.length} problem${lines.length === 1 ? '' : 's'}); ` +
        `fix the file and restart:\n  ${lines.join('\n  ')}`,
    );
    this.name = 'WorkflowsConfigError';
  }
}
