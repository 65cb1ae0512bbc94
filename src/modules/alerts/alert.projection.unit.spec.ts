import type { Storage } from '../../common/event-store/index.js';
import type { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { projectionHarness } from '../../../test/support/projection-harness.js';
import {
  ALERT_EVENTS,
  alertStream,
  type AlertDeliveryAttempted,
  type AlertRaised,
} from './alert.events.js';
import { alertProjection } from './alert.projection.js';
import { ALERT_COLLECTIONS as C, deliveryStatus, type AlertView } from './alert.view.js';

const raised = (id: string, kind = 'phase2_deadline_exceeded'): AlertRaised => ({
  alert_id: id,
  kind,
  severity: 'warning',
  summary: `summary of ${id}`,
  details: { minutes: 31 },
  correlation_id: null,
  raised_at: '2026-01-22T12:00:00.000Z',
});
const attempt = (
  id: string,
  n: number,
  outcome: 'delivered' | 'failed',
  final: boolean,
): AlertDeliveryAttempted => ({
  alert_id: id,
  channel: 'slack',
  attempt: n,
  outcome,
  status_code: outcome === 'delivered' ? 200 : 500,
  error: outcome === 'delivered' ? null : 'Slack webhook answered 500',
  duration_ms: 4,
  attempted_at: '2026-01-22T12:00:01.000Z',
  final,
});

/** The real projection on a real SQLite store, run by the real runner. */
describe('alerts projection (given alert events, then the read model)', () => {
  const harness = projectionHarness(alertProjection);
  let storage: Storage;
  let runner: ProjectionRunner;
  beforeEach(() => ({ storage, runner } = harness));

  const given = async (...events: Array<{ type: string; data: { alert_id: string } }>) => {
    for (const event of events) {
      await storage.events.append(alertStream(event.data.alert_id), [event], {
        expectedVersion: 'any',
      });
    }
    await runner.waitFor(alertProjection.name, (await storage.events.head())!, 5000);
  };
  const view = async (id: string) => (await storage.readModels.get<AlertView>(C.alerts, id))!;

  it('keeps a raised alert with no attempts: pending with a channel, not_configured without', async () => {
    await given({ type: ALERT_EVENTS.raised, data: raised('a') });
    const a = await view('a');
    expect(a).toMatchObject({
      alert_id: 'a',
      summary: 'summary of a',
      attempts: [],
      outcome: null,
    });
    const before = null; // the delivery reaction has not run
    expect(deliveryStatus(a, { channelConfigured: true, deliveryCheckpoint: before })).toBe(
      'pending',
    );
    expect(deliveryStatus(a, { channelConfigured: false, deliveryCheckpoint: before })).toBe(
      'not_configured',
    );
    // The reaction passed it without attempting: there was no channel then, whatever there is now.
    const passed = { channelConfigured: true, deliveryCheckpoint: a.position };
    expect(deliveryStatus(a, passed)).toBe('not_configured');
  });

  it('adds attempts in order; a failure that is not final leaves delivery pending', async () => {
    await given(
      { type: ALERT_EVENTS.raised, data: raised('a') },
      { type: ALERT_EVENTS.deliveryAttempted, data: attempt('a', 1, 'failed', false) },
    );
    const v = await view('a');
    expect(deliveryStatus(v, { channelConfigured: true, deliveryCheckpoint: v.position })).toBe(
      'pending',
    );
    await given({ type: ALERT_EVENTS.deliveryAttempted, data: attempt('a', 2, 'delivered', true) });
    const a = await view('a');
    expect(a.attempts.map((x) => [x.attempt, x.outcome])).toEqual([
      [1, 'failed'],
      [2, 'delivered'],
    ]);
    expect(a.attempts[0]).not.toHaveProperty('alert_id');
    expect(deliveryStatus(a, { channelConfigured: false, deliveryCheckpoint: null })).toBe(
      'delivered',
    );
  });

  it('marks delivery failed on a final failed attempt', async () => {
    await given(
      { type: ALERT_EVENTS.raised, data: raised('a') },
      { type: ALERT_EVENTS.deliveryAttempted, data: attempt('a', 1, 'failed', false) },
      { type: ALERT_EVENTS.deliveryAttempted, data: attempt('a', 2, 'failed', true) },
    );
    expect(
      deliveryStatus(await view('a'), { channelConfigured: true, deliveryCheckpoint: null }),
    ).toBe('failed');
  });

  it('indexes alerts in log order, overall and by kind (kinds with a slash stay apart)', async () => {
    await given(
      { type: ALERT_EVENTS.raised, data: raised('z', 'k') },
      { type: ALERT_EVENTS.raised, data: raised('a', 'k/x') },
      { type: ALERT_EVENTS.raised, data: raised('m', 'k') },
    );
    const ids = async (collection: string, prefix?: string) =>
      (await storage.readModels.list<{ id: string }>(collection, prefix ? { prefix } : {})).map(
        (entry) => entry.doc.id,
      );
    expect(await ids(C.byOrder)).toEqual(['z', 'a', 'm']);
    expect(await ids(C.byKind, 'k/')).toEqual(['z', 'm']);
    expect(await ids(C.byKind, 'k%2Fx/')).toEqual(['a']);
  });
});
