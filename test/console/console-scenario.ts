import { pushEnvelope } from '../support/push-envelope.js';
import { completion, REQUIRED_REPORTS, REQUIRED_NAMES } from '../support/phase-fixtures.js';

/** What the console spec sets up through the API before opening the page. */
export interface ConsoleScenario {
  gameDate: string;
  missingProcessor: string;
  batchId: string;
  quarantinedMessageId: string;
}

/** Calls the running service as an operator (admin token) or as Pub/Sub (push auth off). */
export function apiClient(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

const PLAYERS = ['p-01', 'p-02', 'p-03', 'p-04', 'p-05'];
const COMPLETED = PLAYERS.slice(0, 3);

/**
 * A game date (today, UTC) with every required processor but the last reported (so its deadline
 * runs), a batch with 3 of 5 players completed (60%), and a push whose data is not base64
 * (quarantined as bad_base64); then this hour's workflow decisions and one named query.
 */
export async function driveScenario(call: ReturnType<typeof apiClient>): Promise<ConsoleScenario> {
  const gameDate = new Date().toISOString().slice(0, 10);
  for (const report of REQUIRED_REPORTS.slice(0, -1))
    await call('POST', '/v1/push/phase2-completions', pushEnvelope(completion(gameDate, report)));
  const batchId = `console-batch-${gameDate}`;
  await call('POST', '/v1/batches', {
    batch_id: batchId,
    game_date: gameDate,
    expected_players: PLAYERS,
  });
  for (const player of COMPLETED) {
    const data = {
      player_lookup: player,
      game_date: gameDate,
      predictions_generated: 5,
      batch_id: batchId,
    };
    await call('POST', '/v1/push/prediction-completions', pushEnvelope(data));
  }
  const quarantinedMessageId = 'console-malformed-1';
  await call(
    'POST',
    '/v1/push/prediction-completions',
    pushEnvelope(null, { rawData: '%%% not base64', messageId: quarantinedMessageId }),
  );
  // Something for the Workflows and Cost views to show: this hour's decisions, one named query run.
  await call('POST', '/v1/workflows/evaluate', {});
  await call('GET', '/v1/analytics/queries/success_rate_7d');
  return { gameDate, missingProcessor: REQUIRED_NAMES.at(-1)!, batchId, quarantinedMessageId };
}
