import type { Position } from '../event-envelope.js';
import { InvalidPositionError } from '../event-store.errors.js';

const WIDTH = 16;

/** SQLite positions are the events table's row id, zero-padded so that string order is log order. */
export function toPosition(rowId: number | bigint): Position {
  return String(rowId).padStart(WIDTH, '0');
}

export function fromPosition(position: Position | null | undefined): number {
  if (position === null || position === undefined || position === '') return 0;
  if (!/^\d{1,16}$/.test(position)) {
    throw new InvalidPositionError(position);
  }
  return Number(position);
}
