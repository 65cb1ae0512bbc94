import { inspect } from 'node:util';
import { MASK } from './config-issue.js';

/**
 * A sensitive value (token, password-bearing URL). Printing, logging or JSON-serialising it
 * shows `***`; only `reveal()` gives the value, so a leak has to be written on purpose.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  /** The real value. Call it only where the value is used (comparing a token, opening a connection). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}
