import { createHash } from 'node:crypto';
import type { FeatureFlags } from '../../../common/config/index.js';
import type { MultiAppendOptions, MultiAppendResult } from '../../../common/event-store/index.js';
import type { PushMessage } from '../../../common/ingestion/push-envelope.js';

/** How a delivery is run: as Pub/Sub sent it, or replayed from quarantine under its own key. */
export type PipelineMode = { kind: 'delivery' } | { kind: 'replay'; quarantineId: string };

/** What an append under the delivery's key means for the delivery. */
export type KeyedOutcome =
  | { kind: 'first' }
  | { kind: 'duplicate' }
  | { kind: 'conflict'; storedFingerprint: string; fingerprint: string };

/**
 * The dedup policy of the push path. The store writes a delivery's idempotency key in the same
 * transaction as its effect (src/common/event-store); this decides which key and fingerprint that
 * is, and what an append that found its key already used means.
 */
export class PushDedupPolicy {
  constructor(private readonly flags: FeatureFlags) {}

  /**
   * `push:<endpoint>:<subscription>/<message id>`: scoped by endpoint as well as subscription and
   * message id, so one subscription's message pushed to two endpoints has an effect on each. Older
   * keys lacked the endpoint (README: upgrading). A message sent without an id has `fp:<sha256>`
   * as its id (readPushEnvelope); a sent id may not start with `fp:`. A replay from quarantine runs
   * under `replay:<quarantine id>`. No key (undefined) where ENABLE_IDEMPOTENCY_KEYS is off for
   * the subscription.
   */
  keyFor(endpoint: string, message: PushMessage, mode: PipelineMode): string | undefined {
    if (mode.kind === 'replay') return `replay:${mode.quarantineId}`;
    return this.flags.isEnabled('ENABLE_IDEMPOTENCY_KEYS', message.subscription)
      ? `push:${endpoint}:${message.subscription}/${message.messageId}`
      : undefined;
  }

  /** What is stored with the key: the sha256 of the decoded data (the payload the key stands for). */
  fingerprintOf(data: Buffer): string {
    return createHash('sha256').update(data).digest('hex');
  }

  appendOptions(key: string | undefined, fingerprint: string | null): MultiAppendOptions {
    return key === undefined
      ? {}
      : { idempotencyKey: key, ...(fingerprint ? { fingerprint } : {}) };
  }

  /**
   * `first`: this delivery wrote its effect. `duplicate`: the key was used for the same payload (or
   * one whose fingerprint is unknown). `conflict`: the same message id came with another payload.
   */
  classify(result: MultiAppendResult, fingerprint: string | null): KeyedOutcome {
    if (!result.duplicate) return { kind: 'first' };
    const stored = result.storedFingerprint;
    return fingerprint && stored && stored !== fingerprint
      ? { kind: 'conflict', storedFingerprint: stored, fingerprint }
      : { kind: 'duplicate' };
  }

  /** The key of a conflict record: one record per message and payload, scoped like keyFor. */
  conflictKey(endpoint: string, message: PushMessage, fingerprint: string): string {
    return `conflict:${endpoint}:${message.subscription}/${message.messageId}:${fingerprint}`;
  }
}
