import type { AlertRaised, AlertSeverity } from './alert.events.js';

/** The JSON body of a Slack incoming-webhook post. */
export interface SlackMessage {
  text: string;
}

const SEVERITY_BADGE: Record<AlertSeverity, string> = {
  critical: ':rotating_light: *CRITICAL*',
  warning: ':warning: *WARNING*',
  info: ':information_source: *INFO*',
};

/**
 * One readable Slack message: severity and summary, one bullet per detail (lists as
 * comma-separated values, numbers as they are), then the kind, alert id and time.
 */
export function formatSlackMessage(alert: AlertRaised): SlackMessage {
  const lines = [`${SEVERITY_BADGE[alert.severity]} ${escapeMrkdwn(alert.summary)}`];
  for (const [name, value] of Object.entries(alert.details)) {
    lines.push(`• *${escapeMrkdwn(name)}*: ${escapeMrkdwn(formatDetailValue(value))}`);
  }
  const context = [`kind: ${alert.kind}`, `alert: ${alert.alert_id}`, `raised: ${alert.raised_at}`];
  if (alert.correlation_id) context.push(`correlation: ${alert.correlation_id}`);
  lines.push(`_${escapeMrkdwn(context.join(' · '))}_`);
  return { text: lines.join('\n') };
}

/** A detail value as text: lists comma-separated, numbers and strings as they are, objects as JSON. */
export function formatDetailValue(value: unknown): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map(formatScalar).join(', ');
  }
  return formatScalar(value);
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
