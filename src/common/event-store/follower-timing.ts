import type { FollowerTiming } from './log-follower.js';

/** Injection token for the poll and backoff timing of every log follower (projections, outbox). */
export const FOLLOWER_TIMING = Symbol('FOLLOWER_TIMING');
export type { FollowerTiming };
