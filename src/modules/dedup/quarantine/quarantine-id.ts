import { randomBytes } from 'node:crypto';

/** Sortable by arrival: UTC timestamp to the millisecond, then 8 random hex digits. */
export function newQuarantineId(now: Date): string {
  return `q${sortableId(now)}`;
}

/** Id of a conflict record's body in the quarantine body store; sortable like quarantine ids. */
export function newConflictBodyId(now: Date): string {
  return `c${sortableId(now)}`;
}

function sortableId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.TZ]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
