import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import {
  narrowToListed,
  STORAGE,
  type Position,
  type Storage,
} from '../../../common/event-store/index.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import {
  STREAM_SUMMARIES,
  streamSummaryProjection,
} from '../../../common/projections/stream-summary.projection.js';
import { batchStream, playerStream, type BatchEvent } from '../../batches/index.js';
import { MIRRORED_BATCH_EVENTS, type MirroredBatchEvent } from '../legacy-mirror.projection.js';

const STREAMS_PAGE = 500;
const MIRRORED = new Set<string>(MIRRORED_BATCH_EVENTS);
const narrow = narrowToListed<BatchEvent, typeof MIRRORED_BATCH_EVENTS>(
  'the legacy mirror check',
  MIRRORED_BATCH_EVENTS,
);

/**
 * The events of one batch the mirror handles, up to a position, in log order: its stream's and
 * every player stream's (found through the stream summaries, which cover the log up to there).
 */
@Injectable()
export class BatchLogReader {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  async eventsOf(batchId: string, through: Position | null): Promise<MirroredBatchEvent[]> {
    if (through === null) return [];
    await this.runner.waitFor(
      streamSummaryProjection.name,
      through,
      this.config.timeouts.readYourWritesMs,
    );
    const events = await this.streamEvents(batchStream(batchId), through);
    const prefix = playerStream(batchId, '');
    let after: string | undefined;
    for (;;) {
      const page = await this.storage.readModels.list(STREAM_SUMMARIES, {
        prefix,
        limit: STREAMS_PAGE,
        ...(after === undefined ? {} : { after }),
      });
      for (const { key } of page) events.push(...(await this.streamEvents(key, through)));
      if (page.length < STREAMS_PAGE) break;
      after = page.at(-1)!.key;
    }
    return events
      .filter((event) => event.data.batch_id === batchId)
      .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  private async streamEvents(streamId: string, through: Position): Promise<MirroredBatchEvent[]> {
    const events: MirroredBatchEvent[] = [];
    for await (const event of this.storage.events.readStream(streamId)) {
      if (event.position > through) break;
      if (MIRRORED.has(event.type)) events.push(narrow(event));
    }
    return events;
  }
}
