/** Wall-clock time in an IANA zone, computed with Intl (DST-safe, no dependencies). */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM (24 h) */
  time: string;
  /** `YYYY-MM-DDTHH`: the evaluation idempotency hour. */
  hourKey: string;
  /** Minutes since local midnight (wall clock), 0-1439. */
  minuteOfDay: number;
  /** Local wall clock minus UTC at this instant, in minutes (New York: -300 or -240). */
  offsetMinutes: number;
}

const MS_PER_MINUTE = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const [year, month, day] = [parts['year']!, parts['month']!, parts['day']!];
  const [hour, minute, second] = [parts['hour']!, parts['minute']!, parts['second']!];
  const wallMs = Date.UTC(Number(year), Number(month) - 1, Number(day), +hour, +minute, +second);
  const instantSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return {
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}`,
    hourKey: `${year}-${month}-${day}T${hour}`,
    minuteOfDay: Number(hour) * 60 + Number(minute),
    offsetMinutes: Math.round((wallMs - instantSeconds) / MS_PER_MINUTE),
  };
}

/** `HH:MM` for minutes since midnight (hours may be 24: "24:00"). */
export function formatMinuteOfDay(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function parseHhmm(text: string): number {
  const [h, m] = text.split(':');
  return Number(h) * 60 + Number(m);
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}
