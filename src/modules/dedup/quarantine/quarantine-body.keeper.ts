import { createHash } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import { errorMessage } from '../../../common/errors/error-message.js';
import {
  StoreUnavailableError,
  type QuarantineBodyUsage,
  type Storage,
} from '../../../common/event-store/index.js';

/** What the append-only log keeps of a raw body: enough to say what it was once it is evicted. */
export interface BodyReference {
  body_bytes: number;
  body_sha256: string;
}

export function bodyReference(body: Buffer): BodyReference {
  return { body_bytes: body.length, body_sha256: createHash('sha256').update(body).digest('hex') };
}

/**
 * Holds the raw bodies of the push path in the bounded body store. The body is put before the
 * append that refers to it: a crash in between leaves an orphan body, which counts towards the cap
 * and is evicted like any other (oldest first); an append that turns out to be a duplicate drops
 * its own orphan at once.
 */
export class QuarantineBodyKeeper {
  constructor(
    private readonly storage: Storage,
    private readonly maxBytes: number,
    private readonly logger: Logger,
  ) {}

  /** Step 1, before the append. A busy store throws StoreUnavailableError: nothing was stored. */
  keep(id: string, body: Buffer, receivedAt: string): Promise<QuarantineBodyUsage> {
    return this.storage.quarantineBodies.put(id, body, receivedAt);
  }

  /**
   * Step 2, after the append: a duplicate drops the body it kept for nothing; otherwise, when this
   * put took the total over the cap, the oldest bodies are evicted. The message is recorded either
   * way, so a busy store here is logged, not answered 503: the next put evicts again, and an orphan
   * left behind is evicted in its turn.
   */
  async settle(
    id: string,
    outcome: { duplicate: boolean; usage: QuarantineBodyUsage },
  ): Promise<void> {
    try {
      if (outcome.duplicate) {
        await this.storage.quarantineBodies.delete(id);
      } else if (outcome.usage.bytes > this.maxBytes) {
        await this.storage.quarantineBodies.evictOver(this.maxBytes);
      }
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      const what = outcome.duplicate
        ? `dropping the orphan quarantine body ${id} of a duplicate delivery`
        : `evicting quarantine bodies over QUARANTINE_MAX_BYTES=${this.maxBytes} after ${id}`;
      this.logger.warn(
        `${what} failed, the next quarantined message retries: ${errorMessage(error)}`,
      );
    }
  }
}
