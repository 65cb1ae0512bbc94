// Load generator of test/e2e/batches-scale.e2e.spec.ts, run as a child process so the service under
// test keeps a core to itself. Reads the batch's missing players through the API, then pushes one
// completion per player, and a second one (a re-run, new message id) for every 100th player, with
// IN_FLIGHT requests in flight. Prints one JSON line: what it listed, sent, and the answers.
import { Agent, request } from 'node:http';

const [baseUrl, batchId, inFlightArg] = process.argv.slice(2);
if (!baseUrl || !batchId) {
  throw new Error('usage: batch-completions-load.child.js <base-url> <batch-id> [in-flight]');
}
const inFlight = Number(inFlightArg ?? 16);
const RERUN_EVERY = 100;
const agent = new Agent({ keepAlive: true, maxSockets: inFlight });

function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      {
        method,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': payload.length }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function missingPlayers(): Promise<string[]> {
  const players: string[] = [];
  let cursor: string | null = null;
  do {
    const answer = await call(
      'GET',
      `/v1/batches/${batchId}/missing?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (answer.status !== 200)
      throw new Error(`GET missing answered ${answer.status}: ${answer.text}`);
    const page = JSON.parse(answer.text) as {
      items: Array<{ player_lookup: string }>;
      next: string | null;
    };
    players.push(...page.items.map((item) => item.player_lookup));
    cursor = page.next;
  } while (cursor);
  return players;
}

function envelope(player: string, messageId: string) {
  const data = {
    player_lookup: player,
    game_date: '2026-01-22',
    predictions_generated: 5,
    batch_id: batchId,
    timestamp: '2026-01-22T15:02:11Z',
    worker_instance: 'prediction-worker-load',
  };
  return {
    message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), messageId },
    subscription: 'projects/nba-props-platform/subscriptions/shotclock-sub',
  };
}

const players = await missingPlayers();
const sends = [...players, ...players.filter((_, n) => n % RERUN_EVERY === 0)];
const statuses: Record<number, number> = {};
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    for (let i = next++; i < sends.length; i = next++) {
      const { status } = await call(
        'POST',
        '/v1/push/prediction-completions',
        envelope(sends[i]!, `load-${i}`),
      );
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
const pushMs = Math.round(performance.now() - started);
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ listed: players.length, sent: sends.length, statuses, pushMs })}\n`,
);
