import { countInto, type ActivityBucket } from './activity-bucket.js';
import { ACTIVITY_SLOTS, epochMinuteOf, minuteLabel, slotKey } from './activity-minute.js';
import { activityWindow } from './activity-window.js';

const minute = (iso: string) => epochMinuteOf(iso);
const WEEK = ACTIVITY_SLOTS;

/** Folds counts into slots the way the projection does: one document per slot key. */
function fold(counts: Array<[recordedAt: string, Parameters<typeof countInto>[2]]>) {
  const slots = new Map<string, ActivityBucket>();
  for (const [recordedAt, count] of counts) {
    const at = minute(recordedAt);
    const next = countInto(slots.get(slotKey(at)) ?? null, at, count);
    if (next !== null) slots.set(slotKey(at), next);
  }
  return slots;
}
const byMinute = (slots: Map<string, ActivityBucket>) =>
  new Map([...slots.values()].map((bucket) => [bucket.minute, bucket]));

describe('ingestion activity fold', () => {
  it('buckets by the UTC minute of the recorded time, labelled by its start', () => {
    expect(minuteLabel(minute('2026-12-03T10:41:59.999Z'))).toBe('2026-12-03T10:41Z');
    expect(minuteLabel(minute('2026-12-03T10:42:00.000Z'))).toBe('2026-12-03T10:42Z');
    const slots = fold([
      ['2026-12-03T10:41:00.000Z', { kind: 'accepted', endpoint: 'phase2-completions' }],
      ['2026-12-03T10:41:59.999Z', { kind: 'accepted', endpoint: 'phase2-completions' }],
      ['2026-12-03T10:41:30.000Z', { kind: 'quarantined', reason: 'invalid_json' }],
      ['2026-12-03T10:42:00.000Z', { kind: 'replayed' }],
    ]);
    expect([...byMinute(slots).values()]).toEqual([
      {
        minute: '2026-12-03T10:41Z',
        accepted: { 'phase2-completions': 2 },
        quarantined: { invalid_json: 1 },
        replayed: 0,
      },
      { minute: '2026-12-03T10:42Z', accepted: {}, quarantined: {}, replayed: 1 },
    ]);
  });

  it('answers every minute of the window oldest first, zero-filled with every endpoint and reason, and totals', () => {
    const slots = fold([
      ['2026-12-03T10:39:10.000Z', { kind: 'accepted', endpoint: 'prediction-completions' }],
      ['2026-12-03T10:41:10.000Z', { kind: 'quarantined', reason: 'schema_violation' }],
      ['2026-12-03T10:41:20.000Z', { kind: 'accepted', endpoint: 'prediction-completions' }],
      // Before the window: not shown, not in the totals.
      ['2026-12-03T10:38:59.000Z', { kind: 'accepted', endpoint: 'prediction-completions' }],
    ]);
    const window = activityWindow(byMinute(slots), {
      lastMinute: minute('2026-12-03T10:41:30.000Z'),
      minutes: 3,
      endpoints: ['phase2-completions', 'prediction-completions'],
    });
    const zero = { 'phase2-completions': 0, 'prediction-completions': 0 };
    expect(window).toEqual({
      minutes: 3,
      until: '2026-12-03T10:42:00.000Z',
      buckets: [
        {
          minute: '2026-12-03T10:39Z',
          accepted: { ...zero, 'prediction-completions': 1 },
          quarantined: { schema_violation: 0 },
          replayed: 0,
        },
        {
          minute: '2026-12-03T10:40Z',
          accepted: zero,
          quarantined: { schema_violation: 0 },
          replayed: 0,
        },
        {
          minute: '2026-12-03T10:41Z',
          accepted: { ...zero, 'prediction-completions': 1 },
          quarantined: { schema_violation: 1 },
          replayed: 0,
        },
      ],
      totals: {
        accepted: { ...zero, 'prediction-completions': 2 },
        quarantined: { schema_violation: 1 },
        replayed: 0,
      },
    });
  });

  it('keeps at most 7 days: a minute takes over the slot of the minute a week before it', () => {
    const old = '2026-12-03T10:41:00.000Z';
    const weekLater = new Date(Date.parse(old) + WEEK * 60_000).toISOString();
    expect(slotKey(minute(weekLater))).toBe(slotKey(minute(old)));
    const slots = fold([
      [old, { kind: 'replayed' }],
      [old, { kind: 'replayed' }],
      [weekLater, { kind: 'replayed' }],
      // Older than what the slot now holds: outside the kept week, dropped.
      [old, { kind: 'replayed' }],
    ]);
    expect([...slots.values()]).toEqual([
      { minute: '2026-12-10T10:41Z', accepted: {}, quarantined: {}, replayed: 1 },
    ]);
    // A window reaching the old minute finds it empty.
    const window = activityWindow(byMinute(slots), {
      lastMinute: minute(old),
      minutes: 1,
      endpoints: [],
    });
    expect(window.buckets).toEqual([
      { minute: '2026-12-03T10:41Z', accepted: {}, quarantined: {}, replayed: 0 },
    ]);
  });

  it('holds 10,080 slot keys that sort by slot', () => {
    const keys = Array.from({ length: WEEK }, (_, i) => slotKey(minute('2026-12-03T00:00Z') + i));
    expect(new Set(keys).size).toBe(WEEK);
    expect([...keys].sort()).toEqual(
      Array.from({ length: WEEK }, (_, i) => String(i).padStart(5, '0')),
    );
  });
});
