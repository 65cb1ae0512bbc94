import type { AlertRaised } from './alert.events.js';
import {
  formatDetailValue,
  formatSlackMessage,
  MAX_LIST_VALUES,
  MAX_VALUE_CHARS,
} from './slack-message.format.js';

const alert: AlertRaised = {
  alert_id: 'phase2-deadline:2026-01-22',
  kind: 'phase2_deadline_exceeded',
  severity: 'critical',
  summary: 'Phase 2 of 2026-01-22 missed its deadline',
  details: { missing_processors: ['TeamOffense', 'PlayerGame'], minutes_elapsed: 31 },
  correlation_id: 'corr-1',
  raised_at: '2026-01-22T12:31:00.000Z',
};

describe('formatSlackMessage', () => {
  it('shows severity and summary, one bullet per detail, and where the alert comes from', () => {
    expect(formatSlackMessage(alert).text).toBe(
      [
        ':rotating_light: *CRITICAL* Phase 2 of 2026-01-22 missed its deadline',
        '• *missing_processors*: TeamOffense, PlayerGame',
        '• *minutes_elapsed*: 31',
        '_kind: phase2_deadline_exceeded · alert: phase2-deadline:2026-01-22 · ' +
          'raised: 2026-01-22T12:31:00.000Z · correlation: corr-1_',
      ].join('\n'),
    );
  });

  it('escapes Slack control characters so a value cannot become a link or a mention', () => {
    const text = formatSlackMessage({
      ...alert,
      severity: 'info',
      summary: '<!channel> a & b',
      details: {},
      correlation_id: null,
    }).text;
    expect(text).toBe(
      ':information_source: *INFO* &lt;!channel&gt; a &amp; b\n' +
        '_kind: phase2_deadline_exceeded · alert: phase2-deadline:2026-01-22 · raised: 2026-01-22T12:31:00.000Z_',
    );
  });
});

describe('formatSlackMessage with details built from input', () => {
  it('stays small whatever the alert holds: lists counted, long values cut', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `Unexpected${i}Processor`);
    const text = formatSlackMessage({
      ...alert,
      summary: `s${'u'.repeat(100_000)}`,
      details: { unexpected_processors: names, note: 'n'.repeat(100_000) },
    }).text;
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`:rotating_light: *CRITICAL* s${'u'.repeat(MAX_VALUE_CHARS - 1)}…`);
    expect(lines[1]).toMatch(
      /^• \*unexpected_processors\*: Unexpected0Processor, .*, … and \d+ more$/,
    );
    expect(lines[1]!.length).toBeLessThan(MAX_VALUE_CHARS + 100);
    expect(lines[2]).toBe(`• *note*: ${'n'.repeat(MAX_VALUE_CHARS)}…`);
  });

  it('shows at most MAX_LIST_VALUES values of a list and counts the others', () => {
    const values = Array.from({ length: MAX_LIST_VALUES + 5 }, (_, i) => `p${i}`);
    expect(formatDetailValue(values)).toBe(
      `${values.slice(0, MAX_LIST_VALUES).join(', ')}, … and 5 more`,
    );
  });
});

describe('formatDetailValue', () => {
  it.each([
    [['a', 'b', 3], 'a, b, 3'],
    [[], '(none)'],
    [42, '42'],
    [1.5, '1.5'],
    ['text', 'text'],
    [true, 'true'],
    [null, '(none)'],
    [{ a: 1 }, '{"a":1}'],
    [[{ a: 1 }, 'x'], '{"a":1}, x'],
  ])('%j -> %s', (value, expected) => {
    expect(formatDetailValue(value)).toBe(expected);
  });
});
