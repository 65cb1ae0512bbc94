import type { Position } from '../event-envelope.js';
import { InvalidPositionError } from '../event-store.errors.js';

const WIDTH = 16;
const POSITION = /^\d{16}$/;

/**
 * Firestore positions are the dense sequence numbers the sequencer hands out (1, 2, 3, ...),
 * zero-padded to 16 digits so that string order is log order (also in Firestore's own indexes).
 */
export function toPosition(sequence: number): Position {
  return String(sequence).padStart(WIDTH, '0');
}

/** The sequence number of `position`; 0 (before the first event) for null, absent or ''. */
export function fromPosition(position: Position | null | undefined): number {
  if (position === null || position === undefined || position === '') return 0;
  if (!POSITION.test(position)) throw new InvalidPositionError(position);
  return Number(position);
}
