import type { Position } from '../../../common/event-store/index.js';
import type { ProjectionRunner } from '../../../common/projections/projection-runner.js';

/**
 * Failed attempts tolerated while waiting: a projection retries with backoff after a transient
 * failure (busy store, a service on the same store moving the checkpoint), so a few are expected.
 */
export const TOLERATED_PROJECTION_FAILURES = 5;

/**
 * Waits until projection `name` has applied everything up to `position`, however long that takes
 * (a large import may take minutes), in slices of `sliceMs`: after each slice it reports the lag,
 * and gives up when the projection stopped or failed TOLERATED_PROJECTION_FAILURES times in a row.
 */
export async function waitForProjection(
  runner: ProjectionRunner,
  name: string,
  position: Position,
  sliceMs: number,
  onWaiting: (lag: number, lastError: string | null) => void,
): Promise<void> {
  if (!runner.names().includes(name)) {
    throw new Error(
      `projection ${name} is not registered (known: ${runner.names().join(', ') || 'none'}); ` +
        'is the batches module wired into AppModule?',
    );
  }
  for (;;) {
    try {
      await runner.waitFor(name, position, sliceMs);
      return;
    } catch (error) {
      // A slice ran out (or the checkpoint could not be read): the status says which, and whether to go on.
      const status = await runner.status(name);
      if (status.checkpoint !== null && status.checkpoint >= position) return;
      const givingUp =
        status.state === 'stopped' ||
        (status.state === 'failed' && status.failed_attempts >= TOLERATED_PROJECTION_FAILURES);
      if (givingUp) {
        throw new Error(
          `projection ${name} is ${status.state} (${status.failed_attempts} failed attempts) at checkpoint ` +
            `${status.checkpoint ?? 'empty'} before reaching ${position}: ${status.last_error ?? String(error)}; ` +
            'the import itself is recorded: run the command again for the report',
          { cause: error },
        );
      }
      onWaiting(status.lag, status.last_error);
    }
  }
}
