import type { ProjectionDefinition } from './projection-definition.js';

export const STREAM_SUMMARIES = 'stream_summaries';

export interface StreamSummary extends Record<string, unknown> {
  stream_id: string;
  version: number;
  event_count: number;
  last_event_type: string;
  first_recorded_at: string;
  last_recorded_at: string;
}

/** One document per stream: how far it got and when. Backs `GET /v1/streams`. */
export const streamSummaryProjection: ProjectionDefinition = {
  name: 'stream-summaries',
  collections: [STREAM_SUMMARIES],
  async apply(event, tx) {
    const current = await tx.get<StreamSummary>(STREAM_SUMMARIES, event.streamId);
    const summary: StreamSummary = {
      stream_id: event.streamId,
      version: event.streamVersion,
      event_count: (current?.event_count ?? 0) + 1,
      last_event_type: event.type,
      first_recorded_at: current?.first_recorded_at ?? event.recordedAt,
      last_recorded_at: event.recordedAt,
    };
    await tx.put(STREAM_SUMMARIES, event.streamId, summary);
  },
};
