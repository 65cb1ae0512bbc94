import { request as httpRequest, Agent } from 'node:http';
import { join } from 'node:path';
import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';
import { BATCH_EVENTS } from '../../src/modules/batches/batch.events.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';

function post(agent: Agent, url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('SIGKILL during a stream of pushes (real service process)', () => {
  const dir = makeTempDir('shotclock-push-crash-');
  afterAll(() => dir.cleanup());

  it('keeps the effect of every message answered 204, and a full resend changes nothing', async () => {
    const sqlitePath = join(dir.path, 'shotclock.sqlite');
    const env = { SQLITE_PATH: sqlitePath };
    let service: ServiceProcess = await startServiceProcess(env);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const batchId = 'batch_2026-01-22_crash';
    expect(
      await post(agent, `${service.baseUrl}/v1/batches`, {
        batch_id: batchId,
        game_date: '2026-01-22',
        expected_count: 3000,
      }),
    ).toBe(201);

    // 1,500 distinct messages for 1,500 players, each sent once or twice (30% duplicates).
    const messages = Array.from({ length: 1500 }, (_, i) =>
      pushEnvelope(
        {
          player_lookup: `player-${i}`,
          game_date: '2026-01-22',
          predictions_generated: 5,
          batch_id: batchId,
          timestamp: '2026-01-22T15:00:00Z',
          worker_instance: 'w-1',
        },
        { messageId: `crash-msg-${i}` },
      ),
    );
    const sends = messages.flatMap((m, i) => (i % 10 < 3 ? [m, m] : [m]));
    const answered204 = new Set<string>();
    let killed = false;
    const url = `${service.baseUrl}/v1/push/prediction-completions`;
    const killer = setTimeout(() => {
      killed = true;
      service.child.kill('SIGKILL');
    }, 400);
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker; i < sends.length && !killed; i += 8) {
          const status = await post(agent, url, sends[i]).catch(() => 0);
          if (status === 204) answered204.add(sends[i]!.message.messageId);
        }
      }),
    );
    clearTimeout(killer);
    await service.exited;
    agent.destroy();
    expect(answered204.size).toBeGreaterThan(0);
    expect(answered204.size).toBeLessThan(messages.length);

    // Every message answered 204 has its effect in the log.
    const storage = new SqliteStorage(
      { path: sqlitePath, synchronous: 'FULL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
      new SystemClock(),
    );
    const recorded = new Map<string, number>();
    for await (const event of storage.events.readAll({
      types: [BATCH_EVENTS.predictionCompleted],
    })) {
      const id = String(event.metadata.messageId);
      recorded.set(id, (recorded.get(id) ?? 0) + 1);
    }
    await storage.close();
    for (const id of answered204) expect([id, recorded.get(id)]).toEqual([id, 1]);

    // Pub/Sub resends everything not acknowledged, and more: here, every message again.
    service = await startServiceProcess(env);
    const resendAgent = new Agent({ keepAlive: true, maxSockets: 8 });
    const resendUrl = `${service.baseUrl}/v1/push/prediction-completions`;
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        const seen: number[] = [];
        for (let i = worker; i < messages.length; i += 8)
          seen.push(await post(resendAgent, resendUrl, messages[i]));
        return seen;
      }),
    );
    expect(new Set(statuses.flat())).toEqual(new Set([204]));
    const view = await new Promise<{ completed_count: number }>((resolve, reject) => {
      const poll = () =>
        httpRequest(`${service.baseUrl}/v1/batches/${batchId}`, { agent: resendAgent }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            const body = JSON.parse(text) as { completed_count: number };
            if (body.completed_count === messages.length) resolve(body);
            else setTimeout(poll, 50);
          });
        })
          .on('error', reject)
          .end();
      poll();
    });
    expect(view.completed_count).toBe(messages.length);
    service.child.kill('SIGTERM');
    await service.exited;
    resendAgent.destroy();

    const after = new SqliteStorage(
      { path: sqlitePath, synchronous: 'FULL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
      new SystemClock(),
    );
    let effects = 0;
    for await (const _ of after.events.readAll({ types: [BATCH_EVENTS.predictionCompleted] }))
      effects += 1;
    await after.close();
    expect(effects).toBe(messages.length);
  });
});
