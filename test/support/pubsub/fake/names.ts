import { invalidArgument } from './errors.js';

// Google's rule: a letter, then 2..254 of [A-Za-z0-9-_.~+%], not starting with "goog".
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;

export function validateTopicName(name: string): void {
  validate(name, 'topics');
}

export function validateSubscriptionName(name: string): void {
  validate(name, 'subscriptions');
}

/** "projects/p/subscriptions/s" -> "s" (the emulator's messages and dead-letter attributes use it). */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

export function projectOf(name: string): string {
  return name.split('/')[1] ?? '';
}

function validate(name: string, collection: 'topics' | 'subscriptions'): void {
  const parts = name.split('/');
  const id = parts[3] ?? '';
  const valid =
    parts.length === 4 &&
    parts[0] === 'projects' &&
    (parts[1] ?? '') !== '' &&
    parts[2] === collection &&
    RESOURCE_ID.test(id) &&
    !id.startsWith('goog');
  if (!valid) throw invalidArgument(`Invalid [${collection}] name: (name=${name})`);
}
