/** config/workflows.yaml (or the game schedule) is invalid: every problem, one line each. */
export class WorkflowsConfigError extends Error {
  /** The problems, each once (also in the message). */
  declare readonly lines: readonly string[];

  constructor(
    readonly source: string,
    lines: readonly string[],
  ) {
    super(
      `invalid workflow configuration in ${source} (${lines.length} problem${lines.length === 1 ? '' : 's'}); ` +
        `fix the file and restart:\n  ${lines.join('\n  ')}`,
    );
    this.name = 'WorkflowsConfigError';
    // Not enumerable: a logged error (util.inspect) then lists each problem once, in the message.
    Object.defineProperty(this, 'lines', { value: lines, enumerable: false });
  }
}
