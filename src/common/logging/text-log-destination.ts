import type { DestinationStream } from 'pino';

/** Keys the text layout prints in fixed places rather than as `key=value`. */
const LAYOUT_KEYS = new Set(['time', 'severity', 'context', 'message']);
const BARE_VALUE = /^[^\s"=\\]+$/;

/**
 * Formats one JSON log line as readable single-line text:
 * `2026-01-22T12:00:00.000Z INFO [context] message key=value ...`.
 * Nested values are printed as compact JSON, so multi-line content (stacks) stays on one line.
 */
export function formatTextLogLine(jsonLine: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch (error) {
    // Not ours to drop: write the raw line, flagged, rather than lose it.
    return `UNFORMATTED (${String(error)}): ${oneLine(jsonLine)}\n`;
  }
  const parts = [String(entry['time'] ?? ''), String(entry['severity'] ?? 'DEFAULT')];
  if (entry['context'] !== undefined) parts.push(`[${String(entry['context'])}]`);
  if (entry['message'] !== undefined) parts.push(oneLine(String(entry['message'])));
  for (const [key, value] of Object.entries(entry)) {
    if (!LAYOUT_KEYS.has(key) && value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  return `${parts.join(' ')}\n`;
}

/** A pino destination that writes {@link formatTextLogLine} output to `target`. */
export function createTextLogDestination(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(formatTextLogLine(line)) };
}

function formatValue(value: unknown): string {
  if (typeof value === 'string' && BARE_VALUE.test(value)) return value;
  return JSON.stringify(value);
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n').trimEnd();
}
