import { describe, expect, it } from 'vitest';
import { nextSendableTime, parseQuietWindow } from '../campaigns/quiet-hours';
import { smsLength } from '../campaigns/sms-length';
import { renderTemplate, templateProblems } from '../campaigns/template';
import { timeZoneOfNumber } from '../campaigns/time-zone';

const NIGHT = parseQuietWindow('21:00-08:00');

describe('quiet hours', () => {
  it.each([
    ['daytime in Madrid goes now', '2026-06-15T10:00:00Z', 'Europe/Madrid', '2026-06-15T10:00:00.000Z'],
    ['21:30 in Madrid (CEST) waits for 08:00 there', '2026-06-15T19:30:00Z', 'Europe/Madrid', '2026-06-16T06:00:00.000Z'],
    ['the same instant is 15:30 in New York: now', '2026-06-15T19:30:00Z', 'America/New_York', '2026-06-15T19:30:00.000Z'],
    ['02:00 in Los Angeles waits until 08:00 PDT', '2026-06-15T09:00:00Z', 'America/Los_Angeles', '2026-06-15T15:00:00.000Z'],
    ['07:59 is still night', '2026-01-10T07:59:00Z', 'UTC', '2026-01-10T08:00:00.000Z'],
    ['08:00 is morning', '2026-01-10T08:00:00Z', 'UTC', '2026-01-10T08:00:00.000Z'],
    ['21:00 is night', '2026-01-10T21:00:00Z', 'UTC', '2026-01-11T08:00:00.000Z'],
    ['the night clocks go forward in Madrid (29 March 2026): 08:00 CEST', '2026-03-28T22:00:00Z', 'Europe/Madrid', '2026-03-29T06:00:00.000Z'],
    ['the night clocks go back in New York (1 November 2026): 08:00 EST', '2026-11-01T03:00:00Z', 'America/New_York', '2026-11-01T13:00:00.000Z'],
  ])('%s', (_name, now, zone, expected) => {
    expect(nextSendableTime(new Date(now), zone, NIGHT).toISOString()).toBe(expected);
  });

  it('reads a configured window, and an empty one sends at any hour', () => {
    expect(nextSendableTime(new Date('2026-01-10T22:30:00Z'), 'UTC', parseQuietWindow('22:00-07:30')).toISOString()).toBe('2026-01-11T07:30:00.000Z');
    expect(nextSendableTime(new Date('2026-01-10T03:00:00Z'), 'UTC', parseQuietWindow('00:00-00:00')).toISOString()).toBe('2026-01-10T03:00:00.000Z');
    expect(() => parseQuietWindow('9pm-8am')).toThrow(/HH:MM-HH:MM/);
  });

  it('finds the fan’s zone from the number: the country, or the North American area code', () => {
    expect(timeZoneOfNumber('+34612345678')).toBe('Europe/Madrid');
    expect(timeZoneOfNumber('+12125550123')).toBe('America/New_York');
    expect(timeZoneOfNumber('+13105550123')).toBe('America/Los_Angeles');
    expect(timeZoneOfNumber('+525512345678')).toBeNull();
  });
});

describe('SMS length', () => {
  it('counts GSM-7 in septets: 160 in one segment, 153 a segment beyond', () => {
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsLength('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2 });
    expect(smsLength('€'.repeat(80))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsLength('¡Vota ya! ñ é ü').encoding).toBe('GSM-7');
  });

  it('falls back to UCS-2 for any other character: 70 in one segment, 67 beyond', () => {
    expect(smsLength(`${'a'.repeat(69)}á`)).toEqual({ encoding: 'UCS-2', characters: 70, segments: 1 });
    expect(smsLength(`${'a'.repeat(70)}🎤`)).toEqual({ encoding: 'UCS-2', characters: 72, segments: 2 });
  });
});

describe('templates', () => {
  it('names every unknown variable and a stray brace', () => {
    expect(templateProblems('{{event.title}} at {{event.venue}} by {{ artist.nam }}')).toEqual([
      expect.stringContaining('unknown variable {{event.venue}}'),
      expect.stringContaining('unknown variable {{artist.nam}}'),
    ]);
    expect(templateProblems('Hello {{fan.first_vote_artist')).toEqual([expect.stringContaining('without its other half')]);
    expect(templateProblems('{{event.title}} {{event.url}} {{artist.name}} {{fan.first_vote_artist}}')).toEqual([]);
  });

  it('fills variables, and a value the fan lacks reads as empty', () => {
    expect(renderTemplate('{{event.title}}: {{ event.url }} ({{fan.first_vote_artist}})', { 'event.title': 'Finale', 'event.url': 'https://x/e' })).toBe('Finale: https://x/e ()');
  });
});
