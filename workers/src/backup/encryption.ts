import crypto from 'crypto';
import { Transform, type TransformCallback } from 'stream';

/**
 * The encrypted object format (version 1), written as the dump streams through, never whole in memory:
 *
 *   header  "OVBK" | version (1 byte) | salt (32 bytes) | key check (16 bytes)
 *   frames  ciphertext length (4 bytes, big-endian) | ciphertext | GCM tag (16 bytes), repeated
 *
 * Each object has its own AES-256 key, derived from BACKUP_ENCRYPTION_KEY and the object's random salt
 * (HKDF-SHA256), so frame nonces can be a counter: 11 bytes of frame number and one byte that is 1 on
 * the last frame only. The header is every frame's additional data. So a frame moved, dropped,
 * repeated, or taken from another backup fails its tag, a truncated object lacks its last frame, and
 * bytes after the last frame are refused. The key check tells a wrong key from a damaged object
 * before any frame is read.
 */
const MAGIC = Buffer.from('OVBK');
const VERSION = 1;
const SALT_BYTES = 32;
const CHECK_BYTES = 16;
export const HEADER_BYTES = MAGIC.length + 1 + SALT_BYTES + CHECK_BYTES;
/** Plaintext per frame: 1 MiB, so memory stays small and the overhead is 20 bytes per MiB. */
export const FRAME_BYTES = 1 << 20;
const TAG_BYTES = 16;
const MAX_FRAME = FRAME_BYTES + 1024;

export class BackupKeyError extends Error {
  name = 'BackupKeyError';
}
export class BackupIntegrityError extends Error {
  name = 'BackupIntegrityError';
}

/** BACKUP_ENCRYPTION_KEY: 32 bytes, written as 64 hex digits or base64 (44 characters). */
export function parseBackupKey(value: string | undefined): Buffer {
  const text = (value ?? '').trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (!text || key.length !== 32) throw new BackupKeyError('BACKUP_ENCRYPTION_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)');
  return key;
}

const derive = (master: Buffer, salt: Buffer) => {
  const okm = Buffer.from(crypto.hkdfSync('sha256', master, salt, 'ovation-backup v1', 32 + CHECK_BYTES));
  return { key: okm.subarray(0, 32), check: okm.subarray(32) };
};

const nonce = (index: number, last: boolean) => {
  const iv = Buffer.alloc(12);
  iv.writeUIntBE(index, 5, 6);
  iv[11] = last ? 1 : 0;
  return iv;
};

/** Encrypts a stream into the format above. */
export function createEncryptStream(master: Buffer) {
  const salt = crypto.randomBytes(SALT_BYTES);
  const { key, check } = derive(master, salt);
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), salt, check]);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;

  const frame = (plain: Buffer, last: boolean) => {
    const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce(index++, last));
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, body, cipher.getAuthTag()]);
  };

  return new Transform({
    construct(callback) {
      this.push(header);
      callback();
    },
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= FRAME_BYTES) {
        let all = Buffer.concat(pending);
        while (all.length >= FRAME_BYTES) {
          // A full frame is never the last: the last one is written at the end, possibly empty.
          this.push(frame(all.subarray(0, FRAME_BYTES), false));
          all = all.subarray(FRAME_BYTES);
        }
        pending = all.length ? [all] : [];
        pendingBytes = all.length;
      }
      callback();
    },
    flush(callback) {
      this.push(frame(Buffer.concat(pending), true));
      pending = [];
      callback();
    },
  });
}

/** Decrypts the format above; only authenticated bytes come out, and any damage is an error. */
export function createDecryptStream(master: Buffer) {
  let buffered: Buffer = Buffer.alloc(0);
  let header: Buffer | undefined;
  let key: Buffer | undefined;
  let index = 0;
  let finished = false;

  const readFrames = (push: (chunk: Buffer) => void) => {
    for (;;) {
      if (!header) {
        if (buffered.length < HEADER_BYTES) return;
        const candidate = buffered.subarray(0, HEADER_BYTES);
        if (!candidate.subarray(0, 4).equals(MAGIC)) throw new BackupIntegrityError('Not an Ovation backup (its first bytes are not the format mark)');
        if (candidate[4] !== VERSION) throw new BackupIntegrityError(`Backup format version ${candidate[4]} is not one this version reads (${VERSION})`);
        const derived = derive(master, candidate.subarray(5, 5 + SALT_BYTES));
        if (!crypto.timingSafeEqual(derived.check, candidate.subarray(5 + SALT_BYTES))) {
          throw new BackupKeyError('This backup was encrypted with another BACKUP_ENCRYPTION_KEY');
        }
        header = Buffer.from(candidate);
        key = derived.key;
        buffered = buffered.subarray(HEADER_BYTES);
        continue;
      }
      if (buffered.length === 0) return;
      if (finished) throw new BackupIntegrityError('The backup has bytes after its last frame');
      if (buffered.length < 4) return;
      const length = buffered.readUInt32BE(0);
      if (length > MAX_FRAME) throw new BackupIntegrityError(`Frame ${index} claims ${length} bytes: the backup is damaged`);
      if (buffered.length < 4 + length + TAG_BYTES) return;
      const body = buffered.subarray(4, 4 + length);
      const tag = buffered.subarray(4 + length, 4 + length + TAG_BYTES);
      // The tag says whether this was the last frame: try "not last" first (all but one frame).
      let plain: Buffer | undefined;
      for (const last of [false, true]) {
        try {
          const decipher = crypto.createDecipheriv('aes-256-gcm', key as Buffer, nonce(index, last));
          decipher.setAAD(header);
          decipher.setAuthTag(tag);
          plain = Buffer.concat([decipher.update(body), decipher.final()]);
          finished = last;
          break;
        } catch {
          // the other flag, or damage
        }
      }
      if (!plain) throw new BackupIntegrityError(`Frame ${index} failed authentication: the backup is damaged, reordered or truncated`);
      index += 1;
      buffered = buffered.subarray(4 + length + TAG_BYTES);
      if (plain.length) push(plain);
    }
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      try {
        readFrames((plain) => this.push(plain));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      if (!header) return callback(new BackupIntegrityError('The backup is empty or shorter than its header'));
      if (!finished || buffered.length) return callback(new BackupIntegrityError('The backup is truncated: its last frame is missing'));
      callback();
    },
  });
}

/** Counts bytes and hashes them as they pass (the object's size and SHA-256, as stored). */
export function createDigestStream() {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      digest = hash.digest('hex');
      callback();
    },
  });
  return {
    stream,
    get bytes() {
      return bytes;
    },
    /** The SHA-256 in hex, once the stream has ended. */
    get sha256() {
      return digest;
    },
  };
}
