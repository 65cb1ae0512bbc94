import type { Position } from '../event-envelope.js';

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

export class InvalidPositionError extends Error {
  constructor(readonly position: string) {
    super(`'${position}' is not a position of this store: pass back a position it returned`);
    this.name = 'InvalidPositionError';
  }
}
