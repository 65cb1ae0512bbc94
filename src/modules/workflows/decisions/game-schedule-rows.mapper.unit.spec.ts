import type { ScheduleRow } from './game-schedule-rows.port.js';
import {
  gameDatesCovering,
  gameStart,
  gamesOnLocalDate,
  isPlayed,
  zonedInstant,
} from './game-schedule-rows.mapper.js';

const row = (
  game_id: string,
  game_date: string,
  game_date_est: string | null,
  game_status: string | null = '1',
): ScheduleRow => ({ game_id, game_date, game_date_est, game_status });

describe('game schedule rows -> games of a local date', () => {
  describe('gameDatesCovering (the Eastern game dates a local date overlaps)', () => {
    it.each([
      ['America/New_York', '2026-01-22', { from: '2026-01-22', to: '2026-01-22' }],
      ['America/Los_Angeles', '2026-01-22', { from: '2026-01-22', to: '2026-01-23' }],
      ['UTC', '2026-01-22', { from: '2026-01-21', to: '2026-01-22' }],
      ['Europe/Paris', '2026-07-01', { from: '2026-06-30', to: '2026-07-01' }],
      // The day New York springs forward is still one Eastern date.
      ['America/New_York', '2026-03-08', { from: '2026-03-08', to: '2026-03-08' }],
    ])('%s %s -> %o', (zone, date, expected) => {
      expect(gameDatesCovering(date, zone)).toEqual(expected);
    });
  });

  describe('zonedInstant', () => {
    it('gives the instant of a wall time, across DST', () => {
      expect(zonedInstant('2026-01-22', 19 * 60, 'America/New_York').toISOString()).toBe(
        '2026-01-23T00:00:00.000Z',
      );
      expect(zonedInstant('2026-07-01', 19 * 60, 'America/New_York').toISOString()).toBe(
        '2026-07-01T23:00:00.000Z',
      );
    });
  });

  describe('gameStart (game_date_est)', () => {
    it.each([
      ['a TIMESTAMP value is an instant', '2026-01-23T00:30:00.000Z', '2026-01-23T00:30:00.000Z'],
      ['an offset is honoured', '2026-01-22T19:30:00-05:00', '2026-01-23T00:30:00.000Z'],
      [
        'without offset it is an Eastern wall time',
        '2026-01-22T19:30:00',
        '2026-01-23T00:30:00.000Z',
      ],
      ['a DATETIME with a space too', '2026-07-01 19:30:00', '2026-07-01T23:30:00.000Z'],
    ])('%s', (_what, text, expected) => {
      expect(gameStart(text)?.toISOString()).toBe(expected);
    });

    it.each([
      ['missing', null],
      ['unreadable', 'TBD'],
      ['midnight Eastern (a date written without its time)', '2026-01-22T05:00:00.000Z'],
      ['midnight Eastern wall time', '2026-01-22T00:00:00'],
    ])('is unknown when %s', (_what, text) => {
      expect(gameStart(text)).toBeNull();
    });
  });

  describe('isPlayed (game_status)', () => {
    it.each(['1', '2', '3', 'Scheduled', 'In Progress', 'Final', 'something new', null])(
      '%s counts',
      (status) => {
        expect(isPlayed(status)).toBe(true);
      },
    );
    it.each(['Postponed', 'PPD', 'ppd', 'Cancelled', 'Canceled', ' postponed '])(
      '%s does not count',
      (status) => {
        expect(isPlayed(status)).toBe(false);
      },
    );
  });

  describe('gamesOnLocalDate', () => {
    it('counts the played games of the date once each, first game in the zone', () => {
      const rows = [
        row('g1', '2026-01-22', '2026-01-23T00:00:00.000Z', '1'), // 19:00 ET
        row('g2', '2026-01-22', '2026-01-22T20:30:00.000Z', '3'), // 15:30 ET
        row('g2', '2026-01-22', '2026-01-22T20:30:00.000Z', '3'), // a duplicate load
        row('g3', '2026-01-22', '2026-01-22T23:00:00.000Z', 'Postponed'),
      ];
      expect(gamesOnLocalDate(rows, '2026-01-22', 'America/New_York')).toEqual({
        count: 2,
        firstGameLocal: '15:30',
      });
      expect(gamesOnLocalDate(rows, '2026-01-22', 'America/Los_Angeles')).toEqual({
        count: 2,
        firstGameLocal: '12:30',
      });
    });

    it('puts a game on the local date of its start: a late Eastern game is the next day in UTC', () => {
      const rows = [
        row('late', '2026-01-22', '2026-01-23T03:00:00.000Z'), // 22:00 ET on the 22nd
        row('next', '2026-01-23', '2026-01-23T17:00:00.000Z'), // 12:00 ET on the 23rd
      ];
      expect(gamesOnLocalDate(rows, '2026-01-22', 'UTC')).toEqual({
        count: 0,
        firstGameLocal: null,
      });
      expect(gamesOnLocalDate(rows, '2026-01-23', 'UTC')).toEqual({
        count: 2,
        firstGameLocal: '03:00',
      });
    });

    it('counts a game of unknown start on its game_date, without a first game time', () => {
      const rows = [
        row('tbd', '2026-01-22', null),
        row('midnight', '2026-01-22', '2026-01-22T00:00:00'),
      ];
      expect(gamesOnLocalDate(rows, '2026-01-22', 'America/New_York')).toEqual({
        count: 2,
        firstGameLocal: null,
      });
    });

    it('a date with only postponed games has none', () => {
      const rows = [row('p', '2026-01-24', '2026-01-24T20:00:00.000Z', 'PPD')];
      expect(gamesOnLocalDate(rows, '2026-01-24', 'America/New_York')).toEqual({
        count: 0,
        firstGameLocal: null,
      });
    });
  });
});
