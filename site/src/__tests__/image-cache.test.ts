import { describe, expect, it } from 'vitest';
import { createImageCache } from '../lib/image-cache';

const image = (bytes: number) => ({ body: new ArrayBuffer(bytes), headers: [['content-type', 'image/webp']] as [string, string][] });

describe('the resized-picture cache', () => {
  it('answers a picture asked for again, and forgets the least recently used past its size', () => {
    const cache = createImageCache(1_000);
    cache.set('?a', image(100));
    cache.set('?b', image(100));
    expect(cache.get('?a')?.body.byteLength).toBe(100);
    for (let i = 0; i < 9; i++) cache.set(`?x${i}`, image(100));
    // 1,100 bytes asked for in a 1,000-byte cache: "?b" (least recently used) went, "?a" (read) stayed.
    expect(cache.get('?b')).toBeUndefined();
    expect(cache.get('?a')).toBeDefined();
    expect(cache.size).toBe(10);
  });

  it('does not keep one picture larger than an eighth of the cache', () => {
    const cache = createImageCache(800);
    cache.set('?big', image(101));
    expect(cache.get('?big')).toBeUndefined();
  });
});
