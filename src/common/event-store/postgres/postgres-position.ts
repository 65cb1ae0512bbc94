import type { Position } from '../event-envelope.js';
import { InvalidPositionError } from '../event-store.errors.js';

const WIDTH = 20;
const POSITION = /^(\d{20})(\d{20})$/;

/** Where an event sits in the PostgreSQL log: its writer's transaction id, then its sequence value. */
export interface LogPoint {
  transactionId: string;
  globalPosition: string;
}

/** The start of the log: every stored event is after it. */
export const LOG_START: LogPoint = { transactionId: '0', globalPosition: '0' };

/**
 * PostgreSQL positions are (transaction id, global position), each zero-padded to 20 digits (both
 * are unsigned 64-bit), so string order is the order readers walk the log in.
 */
export function toPosition(transactionId: string, globalPosition: string): Position {
  return transactionId.padStart(WIDTH, '0') + globalPosition.padStart(WIDTH, '0');
}

export function fromPosition(position: Position | null | undefined): LogPoint {
  if (position === null || position === undefined || position === '') return LOG_START;
  const match = POSITION.exec(position);
  if (!match) throw new InvalidPositionError(position);
  return { transactionId: stripZeros(match[1]!), globalPosition: stripZeros(match[2]!) };
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
