import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { errorMessage } from '../../../common/errors/error-message.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';

export const PURGE_INTERVAL_MS = Symbol('PURGE_INTERVAL_MS');

/** Deletes expired idempotency keys now and then; expiry itself is enforced at read time. */
@Injectable()
export class IdempotencyKeyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPurger.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(PURGE_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    try {
      const removed = await this.storage.events.purgeExpiredIdempotencyKeys();
      if (removed > 0) this.logger.log(`purged ${removed} expired idempotency keys`);
      return removed;
    } catch (error) {
      this.logger.error(
        `purging expired idempotency keys failed (will retry next interval): ${errorMessage(error)}`,
      );
      return 0;
    }
  }
}
