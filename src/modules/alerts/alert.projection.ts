import { defineProjection } from '../../common/projections/projection-definition.js';
import { ALERT_EVENTS, type AlertEvent } from './alert.events.js';
import { ALERT_COLLECTIONS, kindIndexPrefix, type AlertView } from './alert.view.js';

/** Alerts by id (with their delivery attempts), in log order, and by kind in log order. */
export const alertProjection = defineProjection<AlertEvent>()({
  name: 'alerts',
  eventTypes: [ALERT_EVENTS.raised, ALERT_EVENTS.deliveryAttempted],
  collections: Object.values(ALERT_COLLECTIONS),
  async apply(event, tx) {
    if (event.type === ALERT_EVENTS.raised) {
      const data = event.data;
      const view: AlertView = {
        alert_id: data.alert_id,
        kind: data.kind,
        severity: data.severity,
        summary: data.summary,
        details: data.details,
        correlation_id: data.correlation_id,
        raised_at: data.raised_at,
        position: event.position,
        attempts: [],
        outcome: null,
      };
      await tx.put(ALERT_COLLECTIONS.alerts, data.alert_id, view);
      await tx.put(ALERT_COLLECTIONS.byOrder, event.position, { id: data.alert_id });
      await tx.put(ALERT_COLLECTIONS.byKind, `${kindIndexPrefix(data.kind)}${event.position}`, {
        id: data.alert_id,
      });
      return;
    }
    const { alert_id: alertId, ...attempt } = event.data;
    const view = await tx.get<AlertView>(ALERT_COLLECTIONS.alerts, alertId);
    if (!view) return; // attempts only follow AlertRaised on the same stream
    const outcome = attempt.outcome === 'delivered' || attempt.final ? attempt.outcome : null;
    await tx.put(ALERT_COLLECTIONS.alerts, alertId, {
      ...view,
      attempts: [...view.attempts, attempt],
      outcome: view.outcome ?? outcome,
    });
  },
});
