import { isUnsupportedText, unsupportedTextProblem } from '../event-store/index.js';
import type { PushMessage } from './push-envelope.js';

/**
 * The longest envelope fields accepted, in UTF-8 bytes. Each is kept with the message (idempotency
 * key, event metadata, quarantine record), so a field beyond these is refused, never stored.
 */
export const PUSH_ENVELOPE_LIMITS = {
  /** Pub/Sub's ids are decimal numbers of 16 to 20 digits; this leaves room for other publishers. */
  messageIdBytes: 256,
  /** `projects/<id, at most 30>/subscriptions/<name, at most 255>` is at most about 300. */
  subscriptionBytes: 512,
  /** An RFC 3339 time with nanoseconds and an offset is 35 characters. */
  publishTimeBytes: 64,
  /** Pub/Sub's own limits on ordering keys and attributes. */
  orderingKeyBytes: 1024,
  attributeKeyBytes: 256,
  attributeValueBytes: 1024,
  attributes: 100,
} as const;

/** How the fields were named in the delivery (wrapped body or unwrapped headers), for the answer. */
export interface EnvelopeFieldNames {
  messageId: string;
  subscription: string;
  publishTime: string;
  orderingKey: string;
  attributes: string;
}

/** A field problem of an envelope: where, and why it is not acceptable. */
export interface EnvelopeFieldProblem {
  field: string;
  problem: string;
}

/**
 * The first envelope field holding text no store can hold (stored-text.ts) or longer than its
 * limit, or null when every field is acceptable.
 */
export function envelopeFieldProblem(
  message: PushMessage,
  names: EnvelopeFieldNames,
): EnvelopeFieldProblem | null {
  const limits = PUSH_ENVELOPE_LIMITS;
  const attributes = Object.entries(message.attributes);
  if (attributes.length > limits.attributes) {
    return {
      field: names.attributes,
      problem:
        `${names.attributes} has ${attributes.length} attributes, more than the ` +
        `${limits.attributes} Pub/Sub allows`,
    };
  }
  const fields: Array<[field: string, value: string | null, maxBytes: number]> = [
    [names.messageId, message.messageId, limits.messageIdBytes],
    [names.subscription, message.subscription, limits.subscriptionBytes],
    [names.publishTime, message.publishTime, limits.publishTimeBytes],
    [names.orderingKey, message.orderingKey, limits.orderingKeyBytes],
    ...attributes.flatMap(([key, value]): Array<[string, string, number]> => [
      [`${names.attributes} (a key)`, key, limits.attributeKeyBytes],
      [`${names.attributes}[${JSON.stringify(key)}]`, value, limits.attributeValueBytes],
    ]),
  ];
  for (const [field, value, maxBytes] of fields) {
    const problem = value === null ? null : textProblem(field, value, maxBytes);
    if (problem !== null) return { field, problem };
  }
  return null;
}

function textProblem(field: string, value: string, maxBytes: number): string | null {
  if (isUnsupportedText(value)) return unsupportedTextProblem(field);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) {
    return `${field} is ${bytes} bytes long, more than the ${maxBytes} accepted (UTF-8)`;
  }
  return null;
}
