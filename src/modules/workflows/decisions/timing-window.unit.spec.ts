import type { WorkflowSchedule } from '../workflow-config.types.js';
import { parseHhmm } from '../local-time.js';
import type { GamesOnDate } from './game-schedule.port.js';
import { outsideWindow } from './timing-window.js';

const NO_GAMES: GamesOnDate = { count: 0, firstGameLocal: null };
const GAME_DAY: GamesOnDate = { count: 9, firstGameLocal: '19:00' };
const at = (hhmm: string) => parseHhmm(hhmm);

describe('outsideWindow (the timing_drift check of a manual or late run)', () => {
  it.each<[string, WorkflowSchedule, string, GamesOnDate, string | null]>([
    [
      'self_aware inside',
      { kind: 'self_aware', idealWindow: { startHour: 6, endHour: 10 }, runOnceDaily: true },
      '09:59',
      NO_GAMES,
      null,
    ],
    [
      'self_aware at its end',
      { kind: 'self_aware', idealWindow: { startHour: 6, endHour: 10 }, runOnceDaily: true },
      '10:00',
      NO_GAMES,
      'outside its ideal window 06:00-10:00',
    ],
    [
      'fixed_time started late',
      { kind: 'fixed_time', fixedTime: '22:00', toleranceMinutes: 30 },
      '22:45',
      NO_GAMES,
      'not within 30 min of 22:00',
    ],
    [
      'game_aware_yesterday on time',
      { kind: 'game_aware_yesterday', fixedTime: '01:00', toleranceMinutes: 30 },
      '01:20',
      NO_GAMES,
      null,
    ],
    [
      'game_aware before its window',
      {
        kind: 'game_aware',
        windowBeforeGameHours: 6,
        businessHours: { start: 8, end: 23 },
        frequencyHours: 2,
      },
      '12:00',
      GAME_DAY,
      'before its window (opens 13:00)',
    ],
    [
      'game_aware after tip-off, before the end of business hours',
      {
        kind: 'game_aware',
        windowBeforeGameHours: 6,
        businessHours: { start: 8, end: 23 },
        frequencyHours: 2,
      },
      '21:00',
      GAME_DAY,
      null,
    ],
    [
      'game_aware on a day without games',
      {
        kind: 'game_aware',
        windowBeforeGameHours: 6,
        businessHours: { start: 8, end: 23 },
        frequencyHours: 2,
      },
      '14:00',
      NO_GAMES,
      'no games today, so no window',
    ],
    [
      'discovery (no window)',
      {
        kind: 'discovery',
        maxAttemptsPerDay: 12,
        retryIntervalHours: 2,
        requiresGameDay: false,
        discoveryDurationWeeks: null,
      },
      '03:00',
      NO_GAMES,
      null,
    ],
  ])('%s', (_, schedule, time, games, expected) => {
    expect(outsideWindow(schedule, at(time), games)).toBe(expected);
  });
});
