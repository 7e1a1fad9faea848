import sharp from 'sharp';

/** The largest picture an artist may upload. */
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** The square the picture is resized into (twice the largest size the site shows). */
export const AVATAR_SIZE = 800;

export type ImageKind = 'jpeg' | 'png' | 'webp';

/** The image format by its first bytes, whatever the file is called or claims to be. */
export function sniffImage(head: Buffer): ImageKind | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export type AvatarProblem = { status: 413 | 415 | 400; message: string };

/**
 * The picture as the site will serve it: decoded by sharp (a file that only starts like an image
 * fails here), turned upright, cut to a square of at most AVATAR_SIZE, re-encoded as JPEG. sharp
 * writes no metadata unless asked, so EXIF (GPS position, camera serial), XMP and ICC comments go.
 */
export async function processAvatar(input: Buffer): Promise<{ ok: true; data: Buffer } | { ok: false; problem: AvatarProblem }> {
  if (input.length > AVATAR_MAX_BYTES) return { ok: false, problem: { status: 413, message: 'The picture is larger than 5 MB' } };
  if (!sniffImage(input)) return { ok: false, problem: { status: 415, message: 'The picture must be a JPEG, PNG or WebP image' } };
  try {
    const data = await sharp(input, { limitInputPixels: 50_000_000, failOn: 'error' })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer();
    return { ok: true, data };
  } catch {
    return { ok: false, problem: { status: 400, message: 'The picture could not be read as an image' } };
  }
}
