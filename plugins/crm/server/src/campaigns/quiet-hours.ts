/** A daily window, in local wall-clock minutes after midnight, during which no marketing message is sent. */
export type QuietWindow = { startMinute: number; endMinute: number };

/** "21:00-08:00" → the window; refused when it is not two HH:MM times. */
export function parseQuietWindow(text: string): QuietWindow {
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`quiet hours "${text}": expected HH:MM-HH:MM, such as 21:00-08:00`);
  const [startH, startM, endH, endM] = match.slice(1).map(Number);
  if (startH > 23 || endH > 23 || startM > 59 || endM > 59) throw new Error(`quiet hours "${text}": not a time of day`);
  return { startMinute: startH * 60 + startM, endMinute: endH * 60 + endM };
}

/** Whether a time zone name is one this runtime knows (an IANA name such as Europe/Madrid). */
export function isTimeZone(zone: string) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock time in `zone` at `instant`. */
export function wallClock(instant: Date, zone: string) {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, minute: +parts.hour * 60 + +parts.minute, second: +parts.second };
}

const inWindow = (minute: number, { startMinute, endMinute }: QuietWindow) =>
  startMinute <= endMinute ? minute >= startMinute && minute < endMinute : minute >= startMinute || minute < endMinute;

/**
 * The earliest instant at or after `now` outside the quiet window in `zone`: `now` itself in the
 * daytime, else the window's end (the next morning, local time). Walking minute by minute from the
 * local wall clock keeps daylight-saving changes right without a time-zone table of our own.
 */
export function nextSendableTime(now: Date, zone: string, window: QuietWindow): Date {
  const local = wallClock(now, zone);
  if (!inWindow(local.minute, window)) return now;
  const minutesToEnd = (window.endMinute - local.minute + 1440) % 1440;
  let candidate = new Date(now.getTime() + minutesToEnd * 60_000 - local.second * 1000 - (now.getTime() % 1000));
  // A DST change during the night moves the wall clock by an hour: step until the morning is reached.
  for (let guard = 0; guard < 180 && inWindow(wallClock(candidate, zone).minute, window); guard += 1) candidate = new Date(candidate.getTime() + 60_000);
  for (let guard = 0; guard < 180 && !inWindow(wallClock(new Date(candidate.getTime() - 60_000), zone).minute, window); guard += 1) candidate = new Date(candidate.getTime() - 60_000);
  return candidate;
}
