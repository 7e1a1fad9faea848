/**
 * The wizard shows an event's times as the wall clock of its own time zone (a `datetime-local`
 * input, "2026-12-10T20:00"), whatever the editor's browser is set to; the API speaks ISO instants.
 */

const parts = (date: Date, timeZone: string) => {
  const values = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(date)
      .map((part) => [part.type, part.value])
  );
  return values as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
};

const validZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return Boolean(timeZone);
  } catch {
    return false;
  }
};

/** "2026-12-10T20:00" in `timeZone` for an ISO instant; '' for none. */
export function toZonedInput(iso: string, timeZone: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const p = parts(date, validZone(timeZone) ? timeZone : 'UTC');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The ISO instant of a wall-clock time in `timeZone`; '' when the input is empty or not a time (the server names the field). */
export function fromZonedInput(local: string, timeZone: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return '';
  const zone = validZone(timeZone) ? timeZone : 'UTC';
  const [, y, mo, d, h, mi] = match.map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The zone's offset at that moment, found from the wall clock it shows; twice, for the hours around a DST change.
  let instant = wall;
  for (let i = 0; i < 2; i += 1) {
    const p = parts(new Date(instant), zone);
    const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
    instant = wall - (shown - instant);
  }
  return new Date(instant).toISOString();
}
