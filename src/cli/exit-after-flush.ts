/** Exits once stdout and stderr are flushed: on a pipe, process.exit() would cut a long report short. */
export function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
