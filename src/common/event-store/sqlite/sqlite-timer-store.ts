import type { Clock } from '../../clock/clock.js';
import type { NewEvent } from '../event-envelope.js';
import type { AppendResult, ScheduledTimer, TimerRecord, TimerStore } from '../event-store.port.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { assertStorableTimer, toSingleResult } from '../append-rules.js';
import type { SqliteEventLog } from './sqlite-event-log.js';

export class SqliteTimerStore implements TimerStore {
  constructor(
    private readonly sqlite: SqliteDatabase,
    private readonly events: SqliteEventLog,
    private readonly clock: Clock,
  ) {}

  async schedule(timer: ScheduledTimer): Promise<TimerRecord> {
    assertStorableTimer(timer);
    return this.sqlite.transaction(`schedule timer ${timer.timerId}`, () => {
      this.sqlite
        .statement(
          `INSERT INTO timers (timer_id, stream_id, due_at_ms, event, state, created_at)
           VALUES (?, ?, ?, ?, 'scheduled', ?) ON CONFLICT (timer_id) DO NOTHING`,
        )
        .run(
          timer.timerId,
          timer.streamId,
          timer.dueAtMs,
          JSON.stringify(timer.event),
          this.clock.now().toISOString(),
        );
      return this.read(timer.timerId)!;
    });
  }

  cancel(timerId: string): Promise<boolean> {
    return this.sqlite.transaction(`cancel timer ${timerId}`, () => {
      const { changes } = this.sqlite
        .statement(
          "UPDATE timers SET state = 'cancelled' WHERE timer_id = ? AND state = 'scheduled'",
        )
        .run(timerId);
      return Number(changes) === 1;
    });
  }

  get(timerId: string): Promise<TimerRecord | null> {
    return this.sqlite.exclusive(`read timer ${timerId}`, () => this.read(timerId));
  }

  due(nowMs: number, limit: number): Promise<TimerRecord[]> {
    return this.sqlite.exclusive('read due timers', () =>
      this.sqlite
        .statement(
          "SELECT * FROM timers WHERE state = 'scheduled' AND due_at_ms <= ? ORDER BY due_at_ms, timer_id LIMIT ?",
        )
        .all(nowMs, limit)
        .map(toTimerRecord),
    );
  }

  nextDueAtMs(): Promise<number | null> {
    return this.sqlite.exclusive('read next timer', () => {
      const row = this.sqlite
        .statement("SELECT min(due_at_ms) AS due FROM timers WHERE state = 'scheduled'")
        .get();
      return row?.due === null || row?.due === undefined ? null : Number(row.due);
    });
  }

  async fire(timerId: string): Promise<AppendResult | null> {
    const result = await this.sqlite.transaction(`fire timer ${timerId}`, () => {
      const { changes } = this.sqlite
        .statement(
          "UPDATE timers SET state = 'fired', fired_at = ? WHERE timer_id = ? AND state = 'scheduled'",
        )
        .run(this.clock.now().toISOString(), timerId);
      if (Number(changes) !== 1) return null;
      const timer = this.read(timerId)!;
      return this.events.appendInTransaction(timer.streamId, [timer.event], {
        expectedVersion: 'any',
        idempotencyKey: `timer:${timerId}`,
      });
    });
    if (!result) return null;
    this.events.countAppend(result);
    if (!result.duplicate) this.events.notifyAppended();
    return toSingleResult(result);
  }

  private read(timerId: string): TimerRecord | null {
    const row = this.sqlite.statement('SELECT * FROM timers WHERE timer_id = ?').get(timerId);
    return row ? toTimerRecord(row) : null;
  }
}

function toTimerRecord(row: Record<string, unknown>): TimerRecord {
  return {
    timerId: String(row.timer_id),
    streamId: String(row.stream_id),
    dueAtMs: Number(row.due_at_ms),
    event: JSON.parse(String(row.event)) as NewEvent,
    state: row.state as TimerRecord['state'],
    firedAt: row.fired_at === null ? null : String(row.fired_at),
  };
}
