import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import {
  STORAGE,
  type IdempotencyKeyRecord,
  type RecordedEvent,
  type Storage,
} from '../../../common/event-store/index.js';
import { keyWriter } from './key-writer.js';

/** GET /v1/dedup/keys/:key: one live idempotency key, who wrote it and what it guards. */
@Injectable()
export class DedupKeysService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(key: string) {
    const record = await this.storage.events.readIdempotencyKey(key);
    if (!record) {
      throw new NotFoundException(
        `no live idempotency key ${JSON.stringify(key)}: it was never written, or it is older than ` +
          `DEDUP_TTL_DAYS (${this.config.flags.number('DEDUP_TTL_DAYS')} days) and no longer ` +
          'honoured. A push delivery is keyed push:<endpoint>:<subscription>/<message id>; ' +
          'URL-encode the key in the path',
      );
    }
    const first = await this.firstEvent(record);
    const { result } = record;
    return {
      key: record.key,
      written_at: record.writtenAt,
      expires_at: record.expiresAt,
      fingerprint: record.fingerprint,
      result: {
        streams: result.streams.map((stream) => ({
          stream_id: stream.streamId,
          stream_version: stream.streamVersion,
          event_ids: stream.eventIds,
        })),
        first_position: result.firstPosition,
        last_position: result.lastPosition,
      },
      writer: keyWriter(record.key, first?.metadata ?? null),
      first_event: first
        ? {
            event_id: first.eventId,
            stream_id: first.streamId,
            stream_version: first.streamVersion,
            type: first.type,
            recorded_at: first.recordedAt,
            metadata: first.metadata,
          }
        : null,
    };
  }

  /** The first event the keyed append wrote (null for an append that wrote none). */
  private async firstEvent(record: IdempotencyKeyRecord): Promise<RecordedEvent | null> {
    const stream = record.result.streams.find((written) => written.eventIds.length > 0);
    if (!stream) return null;
    const fromVersion = stream.streamVersion - stream.eventIds.length + 1;
    for await (const event of this.storage.events.readStream(stream.streamId, {
      fromVersion,
      limit: 1,
    })) {
      return event.eventId === stream.eventIds[0] ? event : null;
    }
    return null;
  }
}
