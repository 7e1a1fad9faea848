/**
 * Pictures resized by the image pipeline (`/_image`), kept in memory so a crowd on one page costs one
 * resize per picture and width, not one per visitor (Astro's endpoint has no cache of its own). The
 * sources are uploads, which never change under a URL; bounded by total size, least recently used first.
 */
export interface CachedImage {
  body: ArrayBuffer;
  headers: [string, string][];
}

export function createImageCache(maxBytes = 64 * 1024 * 1024) {
  const entries = new Map<string, CachedImage>();
  let bytes = 0;
  return {
    get(key: string): CachedImage | undefined {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(key: string, image: CachedImage) {
      if (image.body.byteLength > maxBytes / 8) return;
      const old = entries.get(key);
      if (old) bytes -= old.body.byteLength;
      entries.delete(key);
      entries.set(key, image);
      bytes += image.body.byteLength;
      for (const [oldest, entry] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(oldest);
        bytes -= entry.body.byteLength;
      }
    },
    get size() {
      return entries.size;
    },
  };
}

export const imageCache = createImageCache();
