import { WrongExpectedVersionError } from './event-store.errors.js';

/** Deciding again after a concurrent writer moved a stream; more than this is a hot-spot bug. */
export const MAX_DECIDE_ATTEMPTS = 5;

/**
 * Runs a read-decide-append step again when its append met a stream moved by a concurrent writer
 * (optimistic concurrency). After the last attempt the conflict goes to `onExhausted`, which
 * returns the error to throw (by default the conflict itself). A conflict `retries` turns down
 * (one that reading again cannot resolve) is thrown as it is.
 */
export async function retryOnConcurrentWrite<T>(
  step: () => Promise<T>,
  onExhausted: (conflict: WrongExpectedVersionError, attempts: number) => Error = (c) => c,
  retries: (conflict: WrongExpectedVersionError) => boolean = () => true,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || !retries(error)) throw error;
      if (attempt >= MAX_DECIDE_ATTEMPTS) throw onExhausted(error, attempt);
    }
  }
}
