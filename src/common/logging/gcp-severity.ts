/** Cloud Logging `severity` for each pino level. */
const SEVERITY_BY_LEVEL: Readonly<Record<string, string>> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** Maps a pino level label to a Cloud Logging severity (`DEFAULT` for custom levels). */
export function gcpSeverity(levelLabel: string): string {
  return SEVERITY_BY_LEVEL[levelLabel] ?? 'DEFAULT';
}
