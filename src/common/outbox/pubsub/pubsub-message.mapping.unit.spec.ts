import type { OutboundMessage } from '../../event-store/index.js';
import { toPubSubMessage } from './pubsub-message.mapping.js';

const body = { game_date: '2026-01-22', correlation_id: 'corr-body', partial: false, n: [1, 2] };
const message: OutboundMessage = {
  topic: 'nba-phase3-trigger',
  messageId: 'nba-phase3-trigger:evt-1',
  attributes: { game_date: '2026-01-22', trigger_reason: 'all_complete' },
  body,
};

describe('toPubSubMessage', () => {
  it("carries the route's body as JSON, byte for byte, and the route's attributes beside ours", () => {
    const out = toPubSubMessage(
      message,
      { eventType: 'Phase3Triggered', streamId: 'phase-2026-01-22', correlationId: 'corr-meta' },
      false,
    );
    expect(out.data.toString('utf8')).toBe(JSON.stringify(body));
    expect(out.attributes).toEqual({
      shotclock_message_id: 'nba-phase3-trigger:evt-1',
      event_type: 'Phase3Triggered',
      correlation_id: 'corr-meta',
      game_date: '2026-01-22',
      trigger_reason: 'all_complete',
    });
    expect(out).not.toHaveProperty('orderingKey');
  });

  it("keeps the route's correlation_id (the one its body carries) over the event metadata's", () => {
    const out = toPubSubMessage(
      { ...message, attributes: { correlation_id: 'corr-route' } },
      { eventType: 'BatchCompleted', streamId: 'batch-b1', correlationId: 'corr-meta' },
      false,
    );
    expect(out.attributes.correlation_id).toBe('corr-route');
  });

  it('omits correlation_id when neither the event nor the route has one', () => {
    const out = toPubSubMessage(
      { ...message, attributes: {} },
      { eventType: 'BatchCompleted', streamId: 'batch-b1' },
      false,
    );
    expect(out.attributes).toEqual({
      shotclock_message_id: 'nba-phase3-trigger:evt-1',
      event_type: 'BatchCompleted',
    });
  });

  it('never lets a route attribute replace the message id or the event type', () => {
    const out = toPubSubMessage(
      { ...message, attributes: { shotclock_message_id: 'forged', event_type: 'Other' } },
      { eventType: 'Phase3Triggered', streamId: 's' },
      false,
    );
    expect(out.attributes.shotclock_message_id).toBe('nba-phase3-trigger:evt-1');
    expect(out.attributes.event_type).toBe('Phase3Triggered');
  });

  it("orders by the event's stream when ordering is on", () => {
    const out = toPubSubMessage(
      message,
      { eventType: 'Phase3Triggered', streamId: 'phase-2026-01-22' },
      true,
    );
    expect(out.orderingKey).toBe('phase-2026-01-22');
  });
});
