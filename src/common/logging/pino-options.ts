import { pino, type DestinationStream, type LoggerOptions } from 'pino';
import { gcpSeverity } from './gcp-severity.js';
import { getLogContext } from './log-context.js';
import { logContextFields, omitBoundFields } from './log-context-fields.js';
import { REDACTED, REDACTED_HEADER_PATHS, redactLogLine } from './log-redaction.js';
import type { LoggingOptions } from './logging-options.js';
import { createTextLogDestination } from './text-log-destination.js';

/** The key the message is written under (Cloud Logging reads `message`). */
export const MESSAGE_KEY = 'message';

/** A pino configuration and the stream it writes to. */
export interface PinoSetup {
  readonly options: LoggerOptions;
  readonly destination: DestinationStream;
}

/**
 * The pino configuration shared by the Nest logger and the bootstrap logger: Cloud Logging field
 * names, the log context on every line (via `mixin`, so lines logged anywhere carry it), redaction
 * of every written line, and a text destination when not structured.
 */
export function buildPinoSetup(opts: LoggingOptions): PinoSetup {
  assertKnownLevel(opts.level);
  const { gcpProjectId } = opts;
  const options: LoggerOptions = {
    level: opts.level,
    messageKey: MESSAGE_KEY,
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ severity: gcpSeverity(label) }) },
    mixin: (_mergeObject, _level, logger) =>
      omitBoundFields(logContextFields(getLogContext(), gcpProjectId), logger),
    redact: { paths: [...REDACTED_HEADER_PATHS], censor: REDACTED },
    hooks: { streamWrite: redactLogLine },
  };
  const target = opts.destination ?? pino.destination({ dest: 1, sync: true });
  return { options, destination: opts.structured ? target : createTextLogDestination(target) };
}

function assertKnownLevel(level: string): void {
  const known = [...Object.keys(pino.levels.values), 'silent'];
  if (!known.includes(level)) {
    throw new Error(`Unknown log level "${level}"; expected one of: ${known.join(', ')}`);
  }
}
