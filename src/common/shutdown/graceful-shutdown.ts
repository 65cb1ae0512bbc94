import type { INestApplication, LoggerService } from '@nestjs/common';
import { ShutdownState } from '../health/shutdown-state.js';

export interface ShutdownTiming {
  /** How long readiness answers 503 before the server stops accepting (load balancers notice). */
  drainMs: number;
  /** Longest wait for in-flight requests and followers before the process exits anyway. */
  graceMs: number;
}

/**
 * SIGTERM/SIGINT: readiness turns 503 at once; after the drain delay the server stops accepting,
 * in-flight requests finish, followers stop at a checkpoint, the store closes, and the process exits 0.
 */
export function installGracefulShutdown(
  app: INestApplication,
  timing: ShutdownTiming,
  logger: LoggerService,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    app.get(ShutdownState).begin();
    logger.log(
      `${signal} received: readiness is now 503; draining for ${timing.drainMs} ms`,
      'Shutdown',
    );
    const force = setTimeout(() => {
      logger.error(
        `shutdown did not finish within ${timing.drainMs + timing.graceMs} ms; exiting anyway`,
        undefined,
        'Shutdown',
      );
      exit(1);
    }, timing.drainMs + timing.graceMs);
    force.unref();
    await new Promise((resolve) => setTimeout(resolve, timing.drainMs));
    try {
      await app.close();
      logger.log('shutdown complete', 'Shutdown');
      exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${String(error)}`, undefined, 'Shutdown');
      exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}
