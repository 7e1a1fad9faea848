import crypto from 'crypto';
import { Readable, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { describe, expect, it } from 'vitest';
import { createDecryptStream, createEncryptStream, FRAME_BYTES, HEADER_BYTES, parseBackupKey } from '../encryption';

const key = crypto.randomBytes(32);

async function through(stream: NodeJS.ReadWriteStream, input: Buffer, pieces = 7) {
  const chunks: Buffer[] = [];
  const size = Math.ceil(input.length / pieces) || 1;
  const source = Readable.from(Array.from({ length: Math.max(1, Math.ceil(input.length / size)) }, (_, i) => input.subarray(i * size, (i + 1) * size)));
  await pipeline(source, stream, new Writable({ write: (chunk, _encoding, callback) => (chunks.push(chunk), callback()) }));
  return Buffer.concat(chunks);
}
const seal = (plain: Buffer, master = key) => through(createEncryptStream(master), plain);
const open = (sealed: Buffer, master = key) => through(createDecryptStream(master), sealed, 13);
/** Where frame `index` starts in a sealed object of full frames (each 4 + FRAME_BYTES + 16 bytes). */
const frameAt = (index: number) => HEADER_BYTES + index * (4 + FRAME_BYTES + 16);

describe('backup encryption (AES-256-GCM frames)', () => {
  const plain = crypto.randomBytes(FRAME_BYTES * 2 + 12_345);

  it('round-trips empty, small and multi-frame streams, and never shows plaintext', async () => {
    for (const input of [Buffer.alloc(0), Buffer.from('PGDMP hello'), plain]) {
      const sealed = await seal(input);
      expect((await open(sealed)).equals(input)).toBe(true);
      if (input.length > 10) expect(sealed.includes(input.subarray(0, 10))).toBe(false);
    }
    // Two backups of the same bytes differ (each object has its own key).
    expect((await seal(plain)).equals(await seal(plain))).toBe(false);
  });

  it('refuses a wrong key before reading a frame, and says so', async () => {
    await expect(open(await seal(plain), crypto.randomBytes(32))).rejects.toThrow(/another BACKUP_ENCRYPTION_KEY/);
  });

  it('refuses a flipped bit, a truncation at any frame boundary or inside one, reordered, dropped or repeated frames, and trailing bytes', async () => {
    const sealed = await seal(plain);
    const flipped = Buffer.from(sealed);
    flipped[frameAt(1) + 100] ^= 1;
    await expect(open(flipped)).rejects.toThrow(/Frame 1 failed authentication/);
    for (const cut of [frameAt(1), frameAt(2), sealed.length - 1, 10]) await expect(open(sealed.subarray(0, cut))).rejects.toThrow(/truncated|shorter than its header/);
    const frame = (i: number) => sealed.subarray(frameAt(i), frameAt(i + 1));
    const header = sealed.subarray(0, HEADER_BYTES);
    const last = sealed.subarray(frameAt(2));
    await expect(open(Buffer.concat([header, frame(1), frame(0), last]))).rejects.toThrow(/failed authentication/);
    await expect(open(Buffer.concat([header, frame(0), last]))).rejects.toThrow(/failed authentication/);
    await expect(open(Buffer.concat([header, frame(0), frame(0), frame(1), last]))).rejects.toThrow(/failed authentication/);
    await expect(open(Buffer.concat([sealed, Buffer.from('x')]))).rejects.toThrow(/after its last frame/);
    // A frame from another backup under the same key fails too (each object derives its own key).
    const other = await seal(plain);
    await expect(open(Buffer.concat([header, other.subarray(frameAt(0), frameAt(1)), frame(1), last]))).rejects.toThrow(/failed authentication/);
  });

  it('reads BACKUP_ENCRYPTION_KEY as hex or base64 of 32 bytes, nothing else', () => {
    expect(parseBackupKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseBackupKey(key.toString('base64')).equals(key)).toBe(true);
    for (const bad of [undefined, '', 'short', crypto.randomBytes(16).toString('base64')]) expect(() => parseBackupKey(bad)).toThrow(/32 bytes/);
  });
});
