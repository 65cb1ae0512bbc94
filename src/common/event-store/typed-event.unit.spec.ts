import { defineProjection } from '../projections/projection-definition.js';
import { defineReaction } from '../projections/reaction-definition.js';
import {
  narrowToListed,
  type Holds,
  type RecordedEvent,
  type SameEventTypes,
  type TypedEvent,
} from './index.js';

const EVENTS = { opened: 'Opened', closed: 'Closed' } as const;
type DoorEvent =
  | TypedEvent<typeof EVENTS.opened, { by: string }>
  | TypedEvent<typeof EVENTS.closed, { slammed: boolean }>;

const recorded = (type: string, data: unknown): RecordedEvent => ({
  eventId: `e-${type}`,
  streamId: 'door-1',
  streamVersion: 1,
  position: '00000000000000000001',
  type,
  data,
  metadata: {},
  recordedAt: '2026-01-22T12:00:00.000Z',
});

describe('narrowToListed', () => {
  it('passes events of the listed types on, typed as the union they name', () => {
    const narrow = narrowToListed<DoorEvent, readonly ['Opened']>('projection doors', ['Opened']);
    const event = narrow(recorded('Opened', { by: 'ann' }));
    expect(event.data.by).toBe('ann');
  });

  it('refuses an event of a type the follower does not list, naming both', () => {
    const narrow = narrowToListed<DoorEvent, readonly ['Opened']>('projection doors', ['Opened']);
    expect(() => narrow(recorded('Closed', { slammed: true }))).toThrow(
      'projection doors handles only Opened, but the store handed it Closed (event e-Closed at 00000000000000000001)',
    );
  });

  it('passes every event on for a follower that lists no types', () => {
    const narrow = narrowToListed('projection stream-summaries', undefined);
    expect(narrow(recorded('Anything', 1)).type).toBe('Anything');
  });
});

// Compile-time checks (`npx tsc --noEmit` fails when one no longer holds).
type _DoorTypesMatch = Holds<SameEventTypes<DoorEvent, typeof EVENTS>>;
// @ts-expect-error a constant the union lacks
type _ExtraConstant = Holds<SameEventTypes<DoorEvent, typeof EVENTS & { locked: 'Locked' }>>;

describe('defineProjection / defineReaction', () => {
  it('hand a handler exactly the events its list names, narrowed by type', async () => {
    const seen: string[] = [];
    const projection = defineProjection<DoorEvent>()({
      name: 'doors',
      eventTypes: [EVENTS.opened],
      collections: [],
      async apply(event) {
        seen.push(event.data.by);
        // @ts-expect-error Closed is not in the list, so the projection never sees it
        if (event.type === EVENTS.closed) seen.push('unreachable');
      },
    });
    const reaction = defineReaction<DoorEvent>()({
      name: 'door-alarm',
      eventTypes: [EVENTS.opened, EVENTS.closed],
      async handle(event) {
        if (event.type === EVENTS.closed) seen.push(String(event.data.slammed));
      },
    });
    // @ts-expect-error a type outside the union cannot be listed
    defineReaction<DoorEvent>()({ name: 'x', eventTypes: ['Locked'], handle: async () => {} });
    expect(projection.eventTypes).toEqual(['Opened']);
    expect(reaction.eventTypes).toEqual(['Opened', 'Closed']);
    const narrow = narrowToListed<DoorEvent, typeof reaction.eventTypes>(
      'reaction door-alarm',
      reaction.eventTypes,
    );
    await reaction.handle(narrow(recorded('Closed', { slammed: true })));
    await reaction.handle(narrow(recorded('Opened', { by: 'ann' })));
    expect(seen).toEqual(['true']);
  });
});
