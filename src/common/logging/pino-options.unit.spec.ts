import { createBootstrapLogger } from './bootstrap-logger.js';
import { runWithLogContext } from './log-context.js';
import type { LoggingOptions } from './logging-options.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

function structuredLogger(overrides: Partial<LoggingOptions> = {}) {
  const out = capture();
  const logger = createBootstrapLogger({
    structured: true,
    level: 'trace',
    destination: out.destination,
    ...overrides,
  });
  const entries = () => out.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines: out.lines, entries };
}

describe('structured (Cloud Logging) output', () => {
  it('writes one JSON object per line with severity, message and an ISO time', () => {
    const { logger, lines, entries } = structuredLogger();
    logger.info({ orderId: 'o-1' }, 'order accepted');

    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(lines[0]!.trimEnd()).not.toContain('\n');
    const [entry] = entries();
    expect(entry).toEqual({
      severity: 'INFO',
      time: expect.any(String),
      message: 'order accepted',
      orderId: 'o-1',
    });
    expect(new Date(entry!['time'] as string).toISOString()).toBe(entry!['time']);
  });

  it('maps every pino level to its Cloud Logging severity', () => {
    const { logger, entries } = structuredLogger();
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.fatal('f');
    expect(entries().map((e) => [e['message'], e['severity']])).toEqual([
      ['t', 'DEBUG'],
      ['d', 'DEBUG'],
      ['i', 'INFO'],
      ['w', 'WARNING'],
      ['e', 'ERROR'],
      ['f', 'CRITICAL'],
    ]);
  });

  it('honours the level', () => {
    const { logger, entries } = structuredLogger({ level: 'warn' });
    logger.info('dropped');
    logger.warn('kept');
    expect(entries().map((e) => e['message'])).toEqual(['kept']);
  });

  it('rejects an unknown level, naming it', () => {
    expect(() => createBootstrapLogger({ structured: true, level: 'loud' })).toThrow(
      /Unknown log level "loud"/,
    );
  });

  it('writes the context trace as a Cloud Logging trace resource when the project is known', () => {
    const { logger, entries } = structuredLogger({ gcpProjectId: 'shotclock-prod' });
    const trace = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), sampled: true };
    runWithLogContext({ trace }, () => logger.info('traced'));
    expect(entries()[0]).toMatchObject({
      'logging.googleapis.com/trace': `projects/shotclock-prod/traces/${'a'.repeat(32)}`,
      'logging.googleapis.com/spanId': 'b'.repeat(16),
      'logging.googleapis.com/trace_sampled': true,
    });
  });

  it('redacts token-like fields at any depth', () => {
    const { logger, lines, entries } = structuredLogger();
    logger.info(
      {
        token: 'tok-123',
        call: { headers: { apiKey: 'key-456' }, body: [{ password: 'pw-789' }] },
      },
      'called',
    );
    expect(entries()[0]).toMatchObject({
      token: '[REDACTED]',
      call: { headers: { apiKey: '[REDACTED]' }, body: [{ password: '[REDACTED]' }] },
    });
    expect(lines[0]).not.toMatch(/tok-123|key-456|pw-789/);
  });

  it('redacts a webhook URL inside the message text and inside bindings', () => {
    const { logger, lines, entries } = structuredLogger();
    logger
      .child({ target: 'https://example.com/api/webhooks/1/sekrit' })
      .warn('posting to https://hooks.slack.com/services/T000/B000/XXXXSECRET failed: 500');
    expect(entries()[0]).toMatchObject({
      message: 'posting to [REDACTED] failed: 500',
      target: '[REDACTED]',
    });
    expect(lines[0]).not.toMatch(/XXXXSECRET|sekrit/);
  });
});

describe('text output', () => {
  it('writes readable single-line, non-JSON text that still carries the context ids', () => {
    const out = capture();
    const logger = createBootstrapLogger({
      structured: false,
      level: 'info',
      destination: out.destination,
    });
    runWithLogContext({ correlationId: 'corr-1', messageId: 'msg-2' }, () =>
      logger
        .child({ context: 'Projection' })
        .warn({ detail: 'two words' }, 'slow handler\nsecond line'),
    );

    expect(out.lines).toHaveLength(1);
    const [line] = out.lines as [string];
    expect(() => JSON.parse(line)).toThrow();
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING \[Projection\] slow handler\\nsecond line .*correlation_id=corr-1 message_id=msg-2/,
    );
    expect(line).toContain('detail="two words"');
  });

  it('redacts in text mode too', () => {
    const out = capture();
    const logger = createBootstrapLogger({
      structured: false,
      level: 'info',
      destination: out.destination,
    });
    logger.info({ password: 'hunter2' }, 'see https://hooks.slack.com/services/T/B/SECRET');
    expect(out.lines[0]).toContain('see [REDACTED]');
    expect(out.lines[0]).toContain('password=[REDACTED]');
    expect(out.lines[0]).not.toMatch(/hunter2|SECRET/);
  });
});
