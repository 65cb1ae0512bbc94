/** Errors kept in workflow events are cut to this many characters. */
export const MAX_ERROR_CHARS = 1000;

/** The text as stored in WorkflowStepFinished.error / WorkflowExecutionFinished.errors. */
export function truncateError(text: string): string {
  return text.length <= MAX_ERROR_CHARS ? text : text.slice(0, MAX_ERROR_CHARS);
}
