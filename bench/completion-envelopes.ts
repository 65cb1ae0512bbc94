/** What identifies one load of prediction completions (distinct players and message ids). */
export interface CompletionLoad {
  batchId: string;
  gameDate: string;
  /** Prefix of player ids and message ids, so warm-up and rounds never collide. */
  prefix: string;
  subscription: string;
}

export const player = (prefix: string, n: number) =>
  `${prefix}-player-${String(n).padStart(7, '0')}`;

/** The data of completion `n` of a load: the same bytes whichever way it travels (push or pull). */
export function completionData(load: CompletionLoad, n: number) {
  return {
    player_lookup: player(load.prefix, n),
    game_date: load.gameDate,
    predictions_generated: 5,
    batch_id: load.batchId,
    timestamp: '2026-01-22T15:02:11Z',
    worker_instance: 'prediction-worker-bench',
  };
}

/** The worker's completion message as Pub/Sub push delivers it (wrapped envelope), as a JSON body. */
export function completionEnvelope(load: CompletionLoad, n: number): string {
  const data = completionData(load, n);
  const messageId = `${load.prefix}-${n}`;
  return JSON.stringify({
    message: {
      data: Buffer.from(JSON.stringify(data)).toString('base64'),
      messageId,
      publishTime: '2026-01-22T12:00:00.000Z',
      attributes: {},
    },
    subscription: load.subscription,
  });
}
