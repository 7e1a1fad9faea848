import { wallClock } from './quiet-hours';

/** "18:00" → minutes after midnight; null when it is not a time of day. */
export function parseLocalTime(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

const DAY_MS = 86_400_000;
/** The zones furthest ahead of and behind UTC (Kiritimati, UTC+14; Baker Island, UTC−12). */
const MOST_AHEAD_MS = 14 * 3_600_000;

/**
 * The instant the wall clock in `zone` shows `minute` on the calendar day `date` (YYYY-MM-DD). A time
 * a daylight-saving jump skips comes as late as the jump (02:30 on the spring-forward night is 03:30).
 */
export function zonedInstant(date: string, minute: number, zone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const target = Date.UTC(year, month - 1, day) + minute * 60_000;
  let guess = target;
  // Two corrections by the zone's offset at the guess settle it, across a DST change too.
  for (let step = 0; step < 3; step += 1) {
    const wall = wallClock(new Date(guess), zone);
    const shown = Date.UTC(wall.year, wall.month - 1, wall.day) + wall.minute * 60_000;
    if (shown === target) return new Date(guess - wall.second * 1000 - (guess % 1000));
    guess += target - shown;
  }
  return new Date(guess);
}

/**
 * When a fan gets a message scheduled "at `minute` in each fan's own time zone" on `date`: that local
 * time on that day, or, when it has already passed by the time the fan-out reaches the fan (a late
 * start, a pause), the same local time on the next day it is still ahead. A fan never gets it at
 * another hour than the one chosen.
 */
export function localSendTime(date: string, minute: number, zone: string, now: Date): Date {
  let day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  let at = zonedInstant(date, minute, zone);
  // Whole days missed at once (a pause of a week), then day by day.
  const behind = Math.floor((now.getTime() - at.getTime()) / DAY_MS);
  if (behind > 0) day += behind * DAY_MS;
  for (let guard = 0; guard < 3 && (behind > 0 || at.getTime() < now.getTime()); guard += 1) {
    at = zonedInstant(new Date(day).toISOString().slice(0, 10), minute, zone);
    if (at.getTime() >= now.getTime()) break;
    day += DAY_MS;
  }
  return at;
}

/** When the fan-out of such a campaign starts: as that time arrives in the zone furthest ahead (UTC+14). */
export function localScheduleStart(date: string, minute: number): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day) + minute * 60_000 - MOST_AHEAD_MS);
}
