import type { EventMetadata } from '../../../common/event-store/index.js';

/** Who wrote an idempotency key, as far as the key (and the first event it guards) tells. */
export type KeyWriter =
  | {
      /** A push delivery: `push:<endpoint>:<subscription>/<message id>`. */
      kind: 'push';
      /** Null for keys written before keys were scoped by endpoint (`push:<subscription>/<id>`). */
      endpoint: string | null;
      subscription: string;
      message_id: string;
    }
  | {
      /** A conflict record: `conflict:<endpoint>:<subscription>/<message id>:<fingerprint>`. */
      kind: 'conflict_record';
      endpoint: string;
      subscription: string;
      message_id: string;
    }
  /** A replay from quarantine: `replay:<quarantine id>`. */
  | { kind: 'quarantine_replay'; quarantine_id: string }
  /** Any other writer (alerts, timers, workflows, batches): the key's prefix names it. */
  | { kind: 'other'; prefix: string };

const FINGERPRINT_SUFFIX = /:[0-9a-f]{64}$/;

/**
 * Reads the writer from the key. `<subscription>/<message id>` is split where the first event's
 * metadata says (its subscription and message id, when the effect has events), else at the last
 * `/` (Pub/Sub ids hold none).
 */
export function keyWriter(key: string, firstEvent: EventMetadata | null): KeyWriter {
  if (key.startsWith('replay:')) {
    return { kind: 'quarantine_replay', quarantine_id: key.slice('replay:'.length) };
  }
  if (key.startsWith('push:')) {
    const { endpoint, rest } = endpointAndRest(key.slice('push:'.length));
    return { kind: 'push', endpoint, ...subscriptionAndMessage(rest, firstEvent) };
  }
  if (key.startsWith('conflict:') && FINGERPRINT_SUFFIX.test(key)) {
    const scoped = key.slice('conflict:'.length).replace(FINGERPRINT_SUFFIX, '');
    const { endpoint, rest } = endpointAndRest(scoped);
    if (endpoint !== null) {
      return { kind: 'conflict_record', endpoint, ...subscriptionAndMessage(rest, firstEvent) };
    }
  }
  const colon = key.indexOf(':');
  return { kind: 'other', prefix: colon < 0 ? key : key.slice(0, colon) };
}

/** `<endpoint>:<rest>` when a `:` comes before the first `/` (endpoints are path segments). */
function endpointAndRest(scoped: string): { endpoint: string | null; rest: string } {
  const colon = scoped.indexOf(':');
  const slash = scoped.indexOf('/');
  if (colon > 0 && (slash < 0 || colon < slash)) {
    return { endpoint: scoped.slice(0, colon), rest: scoped.slice(colon + 1) };
  }
  return { endpoint: null, rest: scoped };
}

function subscriptionAndMessage(
  rest: string,
  firstEvent: EventMetadata | null,
): { subscription: string; message_id: string } {
  const messageId = typeof firstEvent?.messageId === 'string' ? firstEvent.messageId : null;
  if (messageId !== null && rest.endsWith(`/${messageId}`)) {
    return { subscription: rest.slice(0, -messageId.length - 1), message_id: messageId };
  }
  const slash = rest.lastIndexOf('/');
  return slash < 0
    ? { subscription: '', message_id: rest }
    : { subscription: rest.slice(0, slash), message_id: rest.slice(slash + 1) };
}
