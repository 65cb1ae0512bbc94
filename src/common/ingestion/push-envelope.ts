import type { IncomingHttpHeaders } from 'node:http';
import { envelopeFieldProblem, type EnvelopeFieldNames } from './push-envelope.limits.js';

/** One Pub/Sub message as delivered by push, wrapped or unwrapped. */
export interface PushMessage {
  messageId: string;
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

const HEADER_FIELDS: EnvelopeFieldNames = {
  messageId: 'header x-goog-pubsub-message-id',
  subscription: 'header x-goog-pubsub-subscription-name',
  publishTime: 'header x-goog-pubsub-publish-time',
  orderingKey: '(no ordering key in unwrapped delivery)',
  attributes: '(no attributes in unwrapped delivery)',
};

/**
 * Reads a push delivery. Wrapped: a JSON body `{message: {data, messageId|message_id,
 * publishTime|publish_time, attributes, orderingKey}, subscription, deliveryAttempt}`. Unwrapped:
 * the body is the data and the metadata is in `x-goog-pubsub-*` headers.
 */
export function readPushEnvelope(body: Buffer, headers: IncomingHttpHeaders): PushMessage {
  const headerMessageId = header(headers, 'x-goog-pubsub-message-id');
  if (headerMessageId) {
    return acceptable(HEADER_FIELDS, {
      messageId: headerMessageId,
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
    throw new NotAnEnvelopeError('the JSON body has no "message" object');
  }
  const message = parsed.message;
  const messageId = stringField(message, 'messageId') ?? stringField(message, 'message_id');
  if (!messageId)
    throw new NotAnEnvelopeError('message.messageId (or message.message_id) is missing');
  if (message.data !== undefined && typeof message.data !== 'string') {
    throw new NotAnEnvelopeError('message.data must be a base64 string');
  }
  const attempt = parsed.deliveryAttempt;
  const fields: EnvelopeFieldNames = {
    messageId: stringField(message, 'messageId') ? 'message.messageId' : 'message.message_id',
    subscription: 'subscription',
    publishTime: stringField(message, 'publishTime')
      ? 'message.publishTime'
      : 'message.publish_time',
    orderingKey: 'message.orderingKey',
    attributes: 'message.attributes',
  };
  return acceptable(fields, {
    messageId,
    subscription: stringField(parsed, 'subscription') ?? NO_SUBSCRIPTION,
    publishTime:
      stringField(message, 'publishTime') ?? stringField(message, 'publish_time') ?? null,
    attributes: stringRecord(message.attributes),
    orderingKey: stringField(message, 'orderingKey') ?? null,
    deliveryAttempt: typeof attempt === 'number' && Number.isInteger(attempt) ? attempt : null,
    encodedData: typeof message.data === 'string' ? message.data : '',
    rawData: null,
  });
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
