import type { DestinationStream } from 'pino';

/** How the service logs; the same options drive the Nest logger and the bootstrap logger. */
export interface LoggingOptions {
  /** `true`: one Cloud Logging JSON object per line. `false`: readable single-line text (local dev). */
  readonly structured: boolean;
  /** Lowest pino level written: trace, debug, info, warn, error, fatal or silent. */
  readonly level: string;
  /** Turns trace ids into `projects/<id>/traces/<trace>` so Cloud Logging links them to Cloud Trace. */
  readonly gcpProjectId?: string;
  /** Where lines go; stdout (synchronously) when omitted. Tests pass a capturing stream. */
  readonly destination?: DestinationStream;
}
