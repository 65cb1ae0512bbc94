import type { OutboundMessage } from '../event-store/index.js';

/** Delivers one outbound message; resolves once the broker accepted it, throws otherwise. */
export interface Publisher {
  readonly kind: string;
  publish(message: OutboundMessage): Promise<void>;
}

export const PUBLISHER = Symbol('PUBLISHER');
