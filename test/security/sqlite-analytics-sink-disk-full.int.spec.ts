import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { DecisionRow } from '../../src/modules/cost/analytics-rows.js';
import { EmbeddedAnalyticsSink } from '../../src/modules/cost/embedded/embedded-analytics.sink.js';
import { fillDisk, mountSmallDisk } from '../support/sqlite-disk-faults.js';

const decision = (id: string): DecisionRow => ({
  decision_id: id,
  decision_time: '2026-01-22T07:00:00.000Z',
  workflow_name: 'morning_operations',
  action: 'RUN',
  reason: 'x'.repeat(2000),
  context: '{"hour_key":"2026-01-22T07"}',
  scrapers_triggered: ['nbac_schedule'],
  target_games: [],
  next_check_time: null,
  priority: 'CRITICAL',
  alert_level: 'info',
  controller_version: '1.0.0',
  environment: 'production',
  triggered_by: 'controller',
  created_at: '2026-01-22T07:00:00.000Z',
});

describe('embedded analytics sink on a full disk (real tmpfs)', () => {
  it('reports the full disk (not a failed ROLLBACK), writes nothing, and loads once space is freed', async () => {
    const disk = mountSmallDisk(4 * 1024 * 1024);
    const path = join(disk.path, 'shotclock.sqlite');
    const filler = join(disk.path, 'filler');
    const sink = new EmbeddedAnalyticsSink({ path, busyTimeoutMs: 500, dataset: 'nba' });
    try {
      await sink.ensureTables();
      const rows = Array.from({ length: 200 }, (_, i) => decision(`d-${i}`));
      fillDisk(filler);
      await expect(sink.load('workflow_decisions', rows)).rejects.toThrow(
        new RegExp(
          'loading 200 rows into embedded table nba__workflow_decisions failed \\(nothing written; the export retries\\): ' +
            `SQLite could not write ${path}.*SQLITE_FULL.*free space`,
        ),
      );
      rmSync(filler);
      await expect(sink.load('workflow_decisions', rows)).resolves.toMatchObject({ rows: 200 });
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        expect(db.prepare('SELECT count(*) AS n FROM nba__workflow_decisions').get()).toEqual({
          n: 200,
        });
      } finally {
        db.close();
      }
    } finally {
      sink.close();
      disk.unmount();
    }
  });
});
