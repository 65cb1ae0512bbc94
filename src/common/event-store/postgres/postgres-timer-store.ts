import type { Clock } from '../../clock/clock.js';
import type { NewEvent } from '../event-envelope.js';
import type { AppendResult, ScheduledTimer, TimerRecord, TimerStore } from '../event-store.port.js';
import { assertStorableTimer, toSingleResult } from '../append-rules.js';
import type { AppendOutcome, PostgresEventLog } from './postgres-event-log.js';
import type { PostgresPool } from './postgres-pool.js';

interface TimerRow {
  timer_id: string;
  stream_id: string;
  due_at_ms: string;
  event: NewEvent;
  state: TimerRecord['state'];
  fired_at: Date | null;
}

export class PostgresTimerStore implements TimerStore {
  constructor(
    private readonly pool: PostgresPool,
    private readonly events: PostgresEventLog,
    private readonly clock: Clock,
  ) {}

  async schedule(timer: ScheduledTimer): Promise<TimerRecord> {
    assertStorableTimer(timer);
    return this.pool.transaction(`schedule timer ${timer.timerId}`, async (client) => {
      await client.query(
        `INSERT INTO timers (timer_id, stream_id, due_at_ms, event, state, created_at)
         VALUES ($1, $2, $3, $4, 'scheduled', $5) ON CONFLICT (timer_id) DO NOTHING`,
        [
          timer.timerId,
          timer.streamId,
          timer.dueAtMs,
          JSON.stringify(timer.event),
          this.clock.now().toISOString(),
        ],
      );
      const { rows } = await client.query<TimerRow>('SELECT * FROM timers WHERE timer_id = $1', [
        timer.timerId,
      ]);
      return toTimerRecord(rows[0]!);
    });
  }

  async cancel(timerId: string): Promise<boolean> {
    const rows = await this.pool.query(
      `cancel timer ${timerId}`,
      "UPDATE timers SET state = 'cancelled' WHERE timer_id = $1 AND state = 'scheduled' RETURNING timer_id",
      [timerId],
    );
    return rows.length === 1;
  }

  async get(timerId: string): Promise<TimerRecord | null> {
    const [row] = await this.pool.query<TimerRow>(
      `read timer ${timerId}`,
      'SELECT * FROM timers WHERE timer_id = $1',
      [timerId],
    );
    return row ? toTimerRecord(row) : null;
  }

  async due(nowMs: number, limit: number): Promise<TimerRecord[]> {
    const rows = await this.pool.query<TimerRow>(
      'read due timers',
      `SELECT * FROM timers WHERE state = 'scheduled' AND due_at_ms <= $1
       ORDER BY due_at_ms, timer_id LIMIT $2`,
      [nowMs, limit],
    );
    return rows.map(toTimerRecord);
  }

  async nextDueAtMs(): Promise<number | null> {
    const [row] = await this.pool.query<{ due: string | null }>(
      'read next timer',
      "SELECT min(due_at_ms) AS due FROM timers WHERE state = 'scheduled'",
    );
    return row?.due === null || row?.due === undefined ? null : Number(row.due);
  }

  /**
   * The conditional UPDATE locks the timer's row: a second instance firing the same timer waits,
   * then finds it no longer scheduled and returns null. The event is appended in the same
   * transaction, so a timer is marked fired exactly when its event is in the log.
   */
  async fire(timerId: string): Promise<AppendResult | null> {
    const outcome = await this.events.withAppendRaces(() =>
      this.pool.transaction(
        `fire timer ${timerId}`,
        async (client): Promise<AppendOutcome | null> => {
          const { rows } = await client.query<TimerRow>(
            `UPDATE timers SET state = 'fired', fired_at = $1
             WHERE timer_id = $2 AND state = 'scheduled' RETURNING *`,
            [this.clock.now().toISOString(), timerId],
          );
          const timer = rows[0];
          if (!timer) return null;
          return this.events.appendInTransaction(
            client,
            [{ streamId: timer.stream_id, events: [timer.event], expectedVersion: 'any' }],
            { idempotencyKey: `timer:${timerId}` },
          );
        },
      ),
    );
    if (!outcome) return null;
    await this.events.afterCommit(outcome);
    return toSingleResult(outcome.result);
  }
}

function toTimerRecord(row: TimerRow): TimerRecord {
  return {
    timerId: row.timer_id,
    streamId: row.stream_id,
    dueAtMs: Number(row.due_at_ms),
    event: row.event,
    state: row.state,
    firedAt: row.fired_at === null ? null : row.fired_at.toISOString(),
  };
}
