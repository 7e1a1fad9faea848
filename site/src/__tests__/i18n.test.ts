import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { es } from '../i18n/es';
import { formatNumber, formatPercent, localePath, messages, splitLocale, t, tn } from '../i18n';

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('interface strings', () => {
  it('translates every English string into Spanish, with the same placeholders', () => {
    for (const [key, english] of Object.entries(en)) {
      const spanish = es[key as keyof typeof en];
      expect(spanish, key).toBeTruthy();
      expect(placeholders(spanish), key).toEqual(placeholders(english));
    }
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it('does not leave English in Spanish sentences', () => {
    const sameInBoth = Object.keys(en).filter((key) => en[key as keyof typeof en] === es[key as keyof typeof en]);
    // Only names and brands may read the same in both languages.
    expect(sameInBoth.every((key) => key === 'site.name' || key.startsWith('links.'))).toBe(true);
  });

  it('fills placeholders and picks plural forms per locale', () => {
    expect(t('en', 'events.join', { keyword: 'DEMO' })).toBe('Text DEMO to join');
    expect(t('es', 'events.join', { keyword: 'DEMO' })).toBe('Envía DEMO para unirte');
    expect(tn('en', 'live.votes', 1)).toBe('1 vote');
    expect(tn('en', 'live.votes', 1234)).toBe('1,234 votes');
    expect(tn('es', 'live.votes', 1)).toBe('1 voto');
    expect(tn('es', 'live.votes', 12345)).toBe('12.345 votos');
  });

  it('formats numbers the way each language writes them', () => {
    expect(formatNumber('en', 1234567)).toBe('1,234,567');
    expect(formatNumber('es', 1234567)).toBe('1.234.567');
    expect(formatPercent('en', 0.42)).toBe('42%');
    expect(formatPercent('es', 0.42)).toMatch(/^42\s%$/);
  });

  it('hands an island only the strings it asks for', () => {
    const vote = messages('es', 'vote.');
    expect(vote['vote.submit']).toBe('Enviar mi voto');
    expect(Object.keys(vote).every((key) => key.startsWith('vote.'))).toBe(true);
  });
});

describe('localized paths', () => {
  it('keeps English unprefixed and Spanish under /es', () => {
    expect(localePath('en', '/events/x')).toBe('/events/x');
    expect(localePath('es', '/events/x')).toBe('/es/events/x');
    expect(localePath('es')).toBe('/es/');
  });

  it('splits a request path into its locale and the locale-neutral path', () => {
    expect(splitLocale('/es/vote/abc')).toEqual({ locale: 'es', path: '/vote/abc' });
    expect(splitLocale('/es')).toEqual({ locale: 'es', path: '/' });
    expect(splitLocale('/essay')).toEqual({ locale: 'en', path: '/essay' });
  });
});
