import { pino, type Logger } from 'pino';
import type { LoggingOptions } from './logging-options.js';
import { buildPinoSetup } from './pino-options.js';

/**
 * A plain pino logger with the same format, context fields and redaction as the Nest logger, for
 * code that runs before Nest is up (config errors, CLI commands).
 */
export function createBootstrapLogger(opts: LoggingOptions): Logger {
  const { options, destination } = buildPinoSetup(opts);
  return pino(options, destination);
}
