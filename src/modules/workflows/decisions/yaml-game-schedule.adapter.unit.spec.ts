import { fileURLToPath } from 'node:url';
import { WorkflowsConfigError } from './workflows-config.error.js';
import { YamlGameSchedule } from './yaml-game-schedule.adapter.js';

const CONFIG = fileURLToPath(new URL('../../../../config/game-schedule.yaml', import.meta.url));

describe('YamlGameSchedule', () => {
  it('reads config/game-schedule.yaml', async () => {
    const schedule = YamlGameSchedule.fromFile(CONFIG);
    expect(await schedule.gamesOn('2026-01-22')).toEqual({ count: 9, firstGameLocal: '19:00' });
  });

  it('has no games on a date it does not list, and one game when count is omitted', async () => {
    const schedule = YamlGameSchedule.fromParsed(
      { games: { '2026-02-01': { first_game_local: '12:30' } } },
      'gs.yaml',
    );
    expect(await schedule.gamesOn('2026-02-02')).toEqual({ count: 0, firstGameLocal: null });
    expect(await schedule.gamesOn('2026-02-01')).toEqual({ count: 1, firstGameLocal: '12:30' });
  });

  it('accepts an empty file (no games at all)', async () => {
    expect(await YamlGameSchedule.fromParsed(null, 'gs.yaml').gamesOn('2026-01-22')).toEqual({
      count: 0,
      firstGameLocal: null,
    });
  });

  it('rejects bad dates, times and counts, naming the file and the entry', () => {
    const parse = () =>
      YamlGameSchedule.fromParsed(
        {
          games: {
            '2026-02-30': { first_game_local: '19:00' },
            '2026-01-22': { first_game_local: '7pm', count: 0 },
          },
        },
        'gs.yaml',
      );
    expect(parse).toThrow(WorkflowsConfigError);
    let lines: readonly string[] = [];
    try {
      parse();
    } catch (error) {
      lines = (error as WorkflowsConfigError).lines;
    }
    expect(lines).toEqual([
      'gs.yaml: games.2026-02-30: expected a real date',
      'gs.yaml: games.2026-01-22.first_game_local: expected a local time HH:MM (00:00-23:59)',
      'gs.yaml: games.2026-01-22.count: expected at least 1 game',
    ]);
  });
});
