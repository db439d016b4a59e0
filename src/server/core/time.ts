/** Days and hours: UTC days for the daily salts, local ones (a site's time zone) for figures. */

/** `YYYY-MM-DD` (UTC) of an epoch-ms instant. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

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
