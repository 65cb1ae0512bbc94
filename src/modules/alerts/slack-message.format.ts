import { cutText } from '../../common/http/text-limits.js';
import type { AlertSeverity } from '../../common/alerts/alert.port.js';
import type { AlertRaised } from './alert.events.js';

/** The JSON body of a Slack incoming-webhook post. */
export interface SlackMessage {
  text: string;
}

/**
 * A detail list shows at most this many values and counts the rest: lists built from input (the
 * unexpected processors of a date) can hold thousands of names, and Slack refuses a text past
 * 40,000 characters, so the alert would never be delivered.
 */
export const MAX_LIST_VALUES = 20;
/** The summary and each detail value are cut to this many characters (before escaping). */
export const MAX_VALUE_CHARS = 500;

const SEVERITY_BADGE: Record<AlertSeverity, string> = {
  critical: ':rotating_light: *CRITICAL*',
  warning: ':warning: *WARNING*',
  info: ':information_source: *INFO*',
};

/**
 * One readable Slack message: severity and summary, one bullet per detail (lists as
 * comma-separated values, numbers as they are), then the kind, alert id and time. Its size is
 * bounded whatever the alert holds: long values are cut (`…`), long lists counted.
 */
export function formatSlackMessage(alert: AlertRaised): SlackMessage {
  const lines = [`${SEVERITY_BADGE[alert.severity]} ${escapeMrkdwn(bounded(alert.summary))}`];
  for (const [name, value] of Object.entries(alert.details)) {
    lines.push(
      `• *${escapeMrkdwn(bounded(name))}*: ${escapeMrkdwn(bounded(formatDetailValue(value)))}`,
    );
  }
  const context = [`kind: ${alert.kind}`, `alert: ${alert.alert_id}`, `raised: ${alert.raised_at}`];
  if (alert.correlation_id) context.push(`correlation: ${alert.correlation_id}`);
  lines.push(`_${escapeMrkdwn(context.join(' · '))}_`);
  return { text: lines.join('\n') };
}

/**
 * A detail value as text: lists comma-separated (at most MAX_LIST_VALUES values and about
 * MAX_VALUE_CHARS characters, then how many more), numbers and strings as they are, objects as JSON.
 */
export function formatDetailValue(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    const shown: string[] = [];
    let length = 0;
    for (const item of value.slice(0, MAX_LIST_VALUES)) {
      const text = formatScalar(item);
      if (shown.length > 0 && length + 2 + text.length > MAX_VALUE_CHARS) break;
      length += (shown.length > 0 ? 2 : 0) + text.length;
      shown.push(text);
    }
    const more = value.length - shown.length;
    return more > 0 ? `${shown.join(', ')}, … and ${more} more` : shown.join(', ');
  }
  return formatScalar(value);
}

function bounded(text: string): string {
  const cut = cutText(text, MAX_VALUE_CHARS);
  return cut.truncatedFrom === null ? cut.text : `${cut.text}…`;
}

function formatScalar(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** Slack mrkdwn control characters (`&`, `<`, `>`) as the entities Slack expects. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
