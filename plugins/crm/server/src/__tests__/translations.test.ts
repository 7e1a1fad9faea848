import fs from 'fs';
import path from 'path';
import { describe, expect, it } from 'vitest';

const ADMIN = path.resolve(__dirname, '../../../admin/src');
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [path.join(dir, entry.name)] : []));
const messages = (locale: string) => JSON.parse(fs.readFileSync(path.join(ADMIN, 'translations', `${locale}.json`), 'utf8')) as Record<string, string>;

describe('the Marketing page in English and Spanish', () => {
  it('has every message the page shows in both, the English as the code says it', () => {
    const used = new Map(files(ADMIN).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/t\('([a-zA-Z.]+)', '([^']*)'/g)].map((match) => [match[1], match[2]] as const)));
    expect(used.size).toBeGreaterThan(40);
    const [en, es] = [messages('en'), messages('es')];
    expect(Object.keys(en).sort()).toEqual([...used.keys()].sort());
    expect(Object.keys(es).sort()).toEqual([...used.keys()].sort());
    for (const [key, english] of used) {
      expect(en[key], key).toBe(english);
      expect(es[key], key).not.toBe('');
      // The same placeholders in both languages.
      expect(es[key].match(/\{\w+\}/g) ?? [], key).toEqual(english.match(/\{\w+\}/g) ?? []);
    }
  });
});
