import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { envelopeFieldProblem, type EnvelopeFieldNames } from './push-envelope.limits.js';

/** One Pub/Sub message as delivered by push, wrapped or unwrapped. */
export interface PushMessage {
  /** The message id as sent, or `fp:<sha256>` for a wrapped message sent without one. */
  messageId: string;
  /**
   * `sent`: the delivery carried the id. `fingerprint`: a wrapped envelope without
   * `messageId`/`message_id` (a hand-replayed message); `messageId` is then FINGERPRINT_PREFIX and
   * the SHA-256 of its data as sent, attributes and subscription (messageFingerprintId).
   */
  messageIdSource: 'sent' | 'fingerprint';
  subscription: string;
  publishTime: string | null;
  attributes: Record<string, string>;
  orderingKey: string | null;
  deliveryAttempt: number | null;
  /** `message.data` as sent (base64) for wrapped delivery; null for unwrapped. */
  encodedData: string | null;
  /** The body itself for unwrapped delivery (it is the data). */
  rawData: Buffer | null;
}

/** The body is not a push envelope at all: answer 400, Pub/Sub cannot fix it by retrying either. */
export class NotAnEnvelopeError extends Error {
  constructor(problem: string, what = 'not a Pub/Sub push envelope') {
    super(`${what}: ${problem}`);
    this.name = 'NotAnEnvelopeError';
  }
}

/**
 * An envelope field holds text no store can hold, or is longer than its limit (see
 * push-envelope.limits.ts): answer 400. It cannot be quarantined, the quarantine record carries it.
 */
export class UnacceptableEnvelopeError extends NotAnEnvelopeError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(problem, 'not an acceptable Pub/Sub push envelope');
    this.name = 'UnacceptableEnvelopeError';
  }
}

const NO_SUBSCRIPTION = '(none)';

/** Starts the id of a message sent without one; a sent id may not start with it. */
const FINGERPRINT_PREFIX = 'fp:';

const HEADER_FIELDS: EnvelopeFieldNames = {
  messageId: 'header x-goog-pubsub-message-id',
  subscription: 'header x-goog-pubsub-subscription-name',
  publishTime: 'header x-goog-pubsub-publish-time',
  orderingKey: '(no ordering key in unwrapped delivery)',
  attributes: '(no attributes in unwrapped delivery)',
};

/**
 * Reads a push delivery. Wrapped: a JSON body `{message: {data, messageId|message_id,
 * publishTime|publish_time, attributes, orderingKey}, subscription, deliveryAttempt}`; without a
 * message id (absent, null or "") it is identified by its fingerprint (messageFingerprintId).
 * Unwrapped: the body is the data and the metadata is in `x-goog-pubsub-*` headers. A body without
 * the `x-goog-pubsub-message-id` header is read as wrapped: nothing else tells an unwrapped delivery
 * from a broken wrapped one, and Pub/Sub always sends that header when it unwraps.
 */
export function readPushEnvelope(body: Buffer, headers: IncomingHttpHeaders): PushMessage {
  const headerMessageId = header(headers, 'x-goog-pubsub-message-id');
  if (headerMessageId) {
    return acceptable(HEADER_FIELDS, {
      messageId: notReserved(HEADER_FIELDS.messageId, headerMessageId),
      messageIdSource: 'sent',
      subscription: header(headers, 'x-goog-pubsub-subscription-name') ?? NO_SUBSCRIPTION,
      publishTime: header(headers, 'x-goog-pubsub-publish-time') ?? null,
      attributes: {},
      orderingKey: null,
      deliveryAttempt: null,
      encodedData: null,
      rawData: body,
    });
  }
  if (body.length === 0) throw new NotAnEnvelopeError('the body is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new NotAnEnvelopeError(
      `the body is not JSON (${String(error)}) and there is no x-goog-pubsub-message-id header`,
    );
  }
  if (!isObject(parsed) || !isObject(parsed.message)) {
    throw new NotAnEnvelopeError(
      'the JSON body has no "message" object (an unwrapped delivery, whose body is the data, ' +
        'needs the x-goog-pubsub-message-id header)',
    );
  }
  const message = parsed.message;
  if (message.data !== undefined && typeof message.data !== 'string') {
    throw new NotAnEnvelopeError('message.data must be a base64 string');
  }
  const sentId = sentMessageId(message);
  const subscription = stringField(parsed, 'subscription') ?? NO_SUBSCRIPTION;
  const attributes = stringRecord(message.attributes);
  const encodedData = typeof message.data === 'string' ? message.data : '';
  const attempt = parsed.deliveryAttempt;
  const fields: EnvelopeFieldNames = {
    messageId: sentId?.field ?? 'message.messageId',
    subscription: 'subscription',
    publishTime: stringField(message, 'publishTime')
      ? 'message.publishTime'
      : 'message.publish_time',
    orderingKey: 'message.orderingKey',
    attributes: 'message.attributes',
  };
  return acceptable(fields, {
    messageId: sentId?.id ?? messageFingerprintId(encodedData, attributes, subscription),
    messageIdSource: sentId ? 'sent' : 'fingerprint',
    subscription,
    publishTime:
      stringField(message, 'publishTime') ?? stringField(message, 'publish_time') ?? null,
    attributes,
    orderingKey: stringField(message, 'orderingKey') ?? null,
    deliveryAttempt: typeof attempt === 'number' && Number.isInteger(attempt) ? attempt : null,
    encodedData,
    rawData: null,
  });
}

/**
 * `message.messageId`, else `message.message_id`; null when neither is given (absent, null or "").
 * An id of another type is refused rather than silently replaced by a fingerprint.
 */
function sentMessageId(message: Record<string, unknown>): { id: string; field: string } | null {
  for (const key of ['messageId', 'message_id']) {
    const value = message[key];
    if (value === undefined || value === null || value === '') continue;
    const field = `message.${key}`;
    if (typeof value !== 'string') {
      throw new NotAnEnvelopeError(`${field} must be a string, got ${typeof value}`);
    }
    return { id: notReserved(field, value), field };
  }
  return null;
}

/** A sent id taking the form of a fingerprint id could collide with a message sent without one. */
function notReserved(field: string, id: string): string {
  if (id.startsWith(FINGERPRINT_PREFIX)) {
    throw new UnacceptableEnvelopeError(
      field,
      `${field} may not start with "${FINGERPRINT_PREFIX}" (the ids given to messages sent without one)`,
    );
  }
  return id;
}

/**
 * The id of a wrapped message sent without one: `fp:` and the SHA-256 of its subscription, its
 * data as sent and its attributes (by key), so each redelivery of the same hand-replayed message
 * gets the same id and a message differing in any of them is another message.
 */
function messageFingerprintId(
  encodedData: string,
  attributes: Record<string, string>,
  subscription: string,
): string {
  const sortedAttributes = Object.entries(attributes).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const canonical = JSON.stringify([subscription, encodedData, sortedAttributes]);
  return `${FINGERPRINT_PREFIX}${createHash('sha256').update(canonical).digest('hex')}`;
}

function acceptable(names: EnvelopeFieldNames, message: PushMessage): PushMessage {
  const found = envelopeFieldProblem(message, names);
  if (found) throw new UnacceptableEnvelopeError(found.field, found.problem);
  return message;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The message's data bytes; throws a reason string for quarantine when the base64 is bad. */
export function decodeData(message: PushMessage): Buffer {
  if (message.rawData) return message.rawData;
  const encoded = message.encodedData ?? '';
  if (!BASE64.test(encoded))
    throw new BadPayloadError('bad_base64', 'message.data is not valid base64');
  return Buffer.from(encoded, 'base64');
}

/** A well-formed envelope whose content can never be processed: it goes to quarantine. */
export class BadPayloadError extends Error {
  constructor(
    readonly reason: 'bad_base64' | 'invalid_json' | 'unsupported_character' | 'schema_violation',
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'BadPayloadError';
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}
