import { defineProjection } from '../../../common/projections/projection-definition.js';
import { QUARANTINE_EVENTS, type QuarantineEvent } from './quarantine.events.js';

export const QUARANTINE = 'quarantine';
export const QUARANTINE_BY_REASON = 'quarantine_by_reason';
export const QUARANTINE_PARKED = 'quarantine_parked';

export interface QuarantineView extends Record<string, unknown> {
  quarantine_id: string;
  reason: string;
  detail: string;
  endpoint: string;
  subscription: string;
  message_id: string;
  delivery_attempt: number | null;
  park_key: string | null;
  status: 'quarantined' | 'replayed';
  received_at: string;
  replay_count: number;
  last_replay: { outcome: string; detail: string; at: string } | null;
}

/** Quarantine entries by id, by reason, and the parked ones by what they wait for. */
export const quarantineProjection = defineProjection<QuarantineEvent>()({
  name: 'quarantine',
  eventTypes: [QUARANTINE_EVENTS.quarantined, QUARANTINE_EVENTS.replayed],
  collections: [QUARANTINE, QUARANTINE_BY_REASON, QUARANTINE_PARKED],
  async apply(event, tx) {
    if (event.type === QUARANTINE_EVENTS.quarantined) {
      const data = event.data;
      const view: QuarantineView = {
        quarantine_id: data.quarantine_id,
        reason: data.reason,
        detail: data.detail,
        endpoint: data.endpoint,
        subscription: data.subscription,
        message_id: data.message_id,
        delivery_attempt: data.delivery_attempt,
        park_key: data.park_key,
        status: 'quarantined',
        received_at: data.received_at,
        replay_count: 0,
        last_replay: null,
      };
      await tx.put(QUARANTINE, data.quarantine_id, view);
      await tx.put(QUARANTINE_BY_REASON, `${data.reason}/${data.quarantine_id}`, {
        id: data.quarantine_id,
      });
      if (data.park_key) {
        await tx.put(QUARANTINE_PARKED, `${data.park_key}/${data.quarantine_id}`, {
          id: data.quarantine_id,
        });
      }
      return;
    }
    const data = event.data;
    const view = await tx.get<QuarantineView>(QUARANTINE, data.quarantine_id);
    if (!view) return;
    const done = data.outcome !== 'still_failing';
    await tx.put(QUARANTINE, data.quarantine_id, {
      ...view,
      status: done ? 'replayed' : view.status,
      replay_count: view.replay_count + 1,
      last_replay: { outcome: data.outcome, detail: data.detail, at: data.replayed_at },
    });
    if (done && view.park_key)
      await tx.delete(QUARANTINE_PARKED, `${view.park_key}/${data.quarantine_id}`);
  },
});
