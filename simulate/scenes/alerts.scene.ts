import { check, type SceneContext, type SceneReport } from '../scene.js';

interface AlertItem {
  alert_id: string;
  kind: string;
  severity: string;
  summary: string;
  delivery: string;
}

/** What people were told during the day (recorded and logged; no Slack webhook in a simulation). */
export async function alertsScene({ client, gameDate }: SceneContext): Promise<SceneReport> {
  const alerts = (await client.get<{ items: AlertItem[] }>('/v1/alerts?limit=100')).body.items;
  const deadline = alerts.find((alert) => alert.alert_id === `phase2-deadline:${gameDate}`);
  return {
    title: 'Alerts',
    lines: alerts.length
      ? alerts.map(
          (a) => `${a.severity} ${a.kind} (${a.alert_id}): ${a.summary} [delivery ${a.delivery}]`,
        )
      : ['none'],
    checks: [
      check(
        'the phase-2 deadline raised one alert',
        deadline !== undefined,
        alerts.map((a) => a.alert_id).join() || 'no alerts',
      ),
    ],
  };
}
