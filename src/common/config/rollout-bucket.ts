import { createHash } from 'node:crypto';

/**
 * The sticky bucket (1..100) of one unit for one flag: sha256 of `flagName:unitValue`, first
 * 4 bytes as an unsigned 32-bit integer, modulo 100, plus 1. A flag at p% is on for a unit when
 * its bucket is <= p, so raising p only ever adds units (monotonic) and a unit never flaps.
 */
export function rolloutBucket(flagName: string, unitValue: string): number {
  const digest = createHash('sha256').update(`${flagName}:${unitValue}`).digest();
  return (digest.readUInt32BE(0) % 100) + 1;
}

/** Whether `unitValue` is inside a `percent` (0..100) rollout of `flagName`. */
export function inRollout(flagName: string, unitValue: string, percent: number): boolean {
  return rolloutBucket(flagName, unitValue) <= percent;
}
