import { pushEnvelope } from '../../test/support/push-envelope.js';
import { check, pollFor, type SceneContext, type SceneReport } from '../scene.js';

const PLAYERS = 450;
const STRAGGLERS = 2;
const DUPLICATE_EVERY = 10; // every 10th delivery is sent twice: 10% duplicate deliveries
const SUBSCRIPTION = 'projects/nba-props-platform/subscriptions/prediction-completions-sim';

interface BatchView {
  status: string;
  expected_players: number;
  completed_count: number;
  missing_count: number;
  total_predictions: number;
  completion_percentage: number;
  completion_reason: string | null;
}

/**
 * A 450-player prediction batch: every worker reports except two stragglers, 10% of deliveries
 * arrive twice (Pub/Sub redelivery), and the stall timer completes the batch without them.
 */
export async function predictionBatchScene(
  { client, gameDate, progress }: SceneContext,
  stallWaitMs: number,
): Promise<SceneReport> {
  const batchId = `batch_${gameDate}_simulated`;
  const players = Array.from(
    { length: PLAYERS },
    (_, n) => `player-${String(n + 1).padStart(3, '0')}`,
  );
  const created = await client.post('/v1/batches', {
    batch_id: batchId,
    game_date: gameDate,
    expected_players: players,
    correlation_id: `sim-${gameDate}`,
    force: true,
  });
  if (created.status !== 201) {
    throw new Error(`POST /v1/batches answered ${created.status}: ${JSON.stringify(created.body)}`);
  }
  progress(`batch ${batchId} created with ${PLAYERS} players`);

  const answers: Record<string, number> = {};
  const reporting = players.slice(0, PLAYERS - STRAGGLERS);
  for (const [index, player] of reporting.entries()) {
    const envelope = pushEnvelope(
      {
        player_lookup: player,
        game_date: gameDate,
        predictions_generated: 3 + (index % 4),
        batch_id: batchId,
        timestamp: new Date().toISOString(),
        worker_instance: `prediction-worker-${index % 8}`,
      },
      { messageId: `sim-${gameDate}-${player}`, subscription: SUBSCRIPTION, deliveryAttempt: 1 },
    );
    const deliveries = index % DUPLICATE_EVERY === 0 ? 2 : 1;
    for (let delivery = 0; delivery < deliveries; delivery++) {
      const answer = await client.post('/v1/push/prediction-completions', envelope);
      answers[answer.status] = (answers[answer.status] ?? 0) + 1;
    }
  }
  const duplicates = Math.ceil(reporting.length / DUPLICATE_EVERY);
  progress(
    `${reporting.length} completions pushed (+${duplicates} duplicate deliveries), answers ${JSON.stringify(answers)}; waiting for the stall timer`,
  );
  const { value: batch, met } = await pollFor(
    async () => (await client.get<BatchView>(`/v1/batches/${batchId}`)).body,
    (view) => view.status === 'complete',
    stallWaitMs,
  );
  const missing = await client.get<{ items: Array<{ player_lookup: string }> }>(
    `/v1/batches/${batchId}/missing?limit=10`,
  );
  return {
    title: `Prediction batch ${batchId}`,
    lines: [
      `status ${batch.status}, reason ${batch.completion_reason ?? '-'}: ${batch.completed_count}/${batch.expected_players} players (${batch.completion_percentage}%), ${batch.total_predictions} predictions`,
      `push answers: ${JSON.stringify(answers)} (${duplicates} duplicate deliveries)`,
      `missing: ${missing.body.items.map((item) => item.player_lookup).join(', ') || '-'}`,
    ],
    checks: [
      check(
        'every delivery acknowledged with 204',
        (answers['204'] ?? 0) === reporting.length + duplicates,
        JSON.stringify(answers),
      ),
      check(
        'each player counted once',
        batch.completed_count === reporting.length,
        `completed_count ${batch.completed_count}`,
      ),
      check(
        'completed by the stall timer',
        met && batch.completion_reason === 'stalled',
        `status ${batch.status}, reason ${batch.completion_reason}`,
      ),
      check(
        'the two stragglers listed as missing',
        missing.body.items.length === STRAGGLERS,
        `${missing.body.items.length} missing`,
      ),
    ],
  };
}
