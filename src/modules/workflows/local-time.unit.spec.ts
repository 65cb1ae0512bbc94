import { isValidTimeZone, localTime } from './local-time.js';

describe('localTime (America/New_York)', () => {
  const at = (iso: string) => localTime(new Date(iso), 'America/New_York');

  it('gives date, time, hour key and offset in winter (EST)', () => {
    expect(at('2026-01-22T11:05:30Z')).toEqual({
      date: '2026-01-22',
      time: '06:05',
      hourKey: '2026-01-22T06',
      minuteOfDay: 365,
      offsetMinutes: -300,
    });
  });

  it('puts late UTC evenings on the previous local date', () => {
    expect(at('2026-01-23T03:30:00Z')).toMatchObject({ date: '2026-01-22', time: '22:30' });
  });

  it('jumps from 01:59 EST to 03:00 EDT at the spring switch (2026-03-08)', () => {
    expect(at('2026-03-08T06:59:00Z')).toMatchObject({ time: '01:59', offsetMinutes: -300 });
    expect(at('2026-03-08T07:00:00Z')).toMatchObject({
      time: '03:00',
      hourKey: '2026-03-08T03',
      offsetMinutes: -240,
    });
  });

  it('has the 01:00 hour twice at the fall switch (2026-11-01), under one hour key', () => {
    expect(at('2026-11-01T05:30:00Z')).toMatchObject({
      hourKey: '2026-11-01T01',
      offsetMinutes: -240,
    });
    expect(at('2026-11-01T06:30:00Z')).toMatchObject({
      hourKey: '2026-11-01T01',
      offsetMinutes: -300,
    });
  });

  it('tells IANA zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('localTime hour keys (the evaluation stream key shared by decisions and execution)', () => {
  it.each([
    ['2026-01-22T15:30:00.000Z', 'America/New_York', '2026-01-22T10'],
    ['2026-01-23T04:59:59.999Z', 'America/New_York', '2026-01-22T23'],
    ['2026-01-23T05:00:00.000Z', 'America/New_York', '2026-01-23T00'],
    ['2026-01-22T00:00:00.000Z', 'UTC', '2026-01-22T00'],
  ])('%s in %s is %s', (instant, zone, key) => {
    expect(localTime(new Date(instant), zone).hourKey).toBe(key);
  });
});
