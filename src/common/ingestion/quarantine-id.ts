import { randomBytes } from 'node:crypto';

/** Sortable by arrival: UTC timestamp to the millisecond, then 8 random hex digits. */
export function newQuarantineId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.TZ]/g, '');
  return `q${stamp}-${randomBytes(4).toString('hex')}`;
}
