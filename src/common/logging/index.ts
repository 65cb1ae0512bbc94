export { Logger, PinoLogger, InjectPinoLogger } from 'nestjs-pino';
export { LoggingModule } from './logging.module.js';
export { createBootstrapLogger } from './bootstrap-logger.js';
export { buildLoggerOptions, UNLOGGED_ROUTES } from './logger-options.js';
export type { LoggingOptions } from './logging-options.js';
export {
  getLogContext,
  runWithLogContext,
  updateLogContext,
  type LogContext,
  type TraceContext,
} from './log-context.js';
export { LOG_FIELDS } from './log-context-fields.js';
export { REDACTED } from './log-redaction.js';
