/** Days and hours: UTC days for the daily salts, local ones (a site's time zone) for figures. */

const DAY_MS = 86_400_000;
/** The UTC day last asked for: its first and next day's first instant, and its text. */
let known = { from: 0, to: 0, day: '' };

/** `YYYY-MM-DD` (UTC) of an epoch-ms instant (the hot paths ask for today on every request). */
export function utcDay(ms: number): string {
  if (ms >= known.from && ms < known.to) return known.day;
  const from = Math.floor(ms / DAY_MS) * DAY_MS;
  const day = new Date(ms).toISOString().slice(0, 10);
  known = { from, to: from + DAY_MS, day };
  return day;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The formatter of local dates in `timeZone` (`en-CA`: `YYYY-MM-DD`; with `hour`, the 24-hour
 * hour too), made once per zone: creating one costs far more than using it.
 */
export function zonedFormat(timeZone: string, hour = false): Intl.DateTimeFormat {
  const key = hour ? `${timeZone} h` : timeZone;
  let format = formats.get(key);
  if (!format) {
    const day = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      ...day,
      ...(hour ? { hour: '2-digit', hourCycle: 'h23' } : {}),
    });
    formats.set(key, format);
  }
  return format;
}
