/**
 * How much of a multipart upload the cms reads, from the environment: one home for the limits the
 * multipart gate (Content-Length), formidable (strapi::body) and the upload plugin (each file) apply.
 */
import os from 'os';
import path from 'path';

const MiB = 1024 * 1024;

export type UploadLimits = {
  /** Largest single file (the upload plugin's sizeLimit: checked per file, URL imports too). */
  maxFileBytes: number;
  /** Largest multipart body: a longer declared one is a 413 before it is read; files beyond it are cut off. */
  maxBodyBytes: number;
  /** All text fields of one body together (fileInfo and the like). */
  maxFieldsBytes: number;
  /** Where formidable writes files while they arrive; removed once the request is answered. */
  tmpDir: string;
};

const DEFAULTS = {
  UPLOAD_MAX_FILE_BYTES: 20 * MiB,
  UPLOAD_MAX_BODY_BYTES: 50 * MiB,
  UPLOAD_MAX_FIELDS_BYTES: 1 * MiB,
};

/** A positive whole number of bytes, or a start refused with the variable's name (NaN would switch a limit off). */
function bytes(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULTS): number {
  const raw = env[name]?.trim();
  if (!raw) return DEFAULTS[name];
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive number of bytes, not "${raw}"`);
  return value;
}

export function uploadLimits(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  return {
    maxFileBytes: bytes(env, 'UPLOAD_MAX_FILE_BYTES'),
    maxBodyBytes: bytes(env, 'UPLOAD_MAX_BODY_BYTES'),
    maxFieldsBytes: bytes(env, 'UPLOAD_MAX_FIELDS_BYTES'),
    tmpDir: path.resolve(env.UPLOAD_TMP_DIR?.trim() || path.join(os.tmpdir(), 'ovation-uploads')),
  };
}

/**
 * strapi::body's formidable options for these limits. Its formidable (2.x, koa-body's) applies
 * maxFileSize to all the files of a body together, so the body's cap goes there; the per-file cap is
 * the upload plugin's sizeLimit.
 */
export function formidableOptions(limits: UploadLimits = uploadLimits()) {
  return { uploadDir: limits.tmpDir, maxFileSize: limits.maxBodyBytes, maxFieldsSize: limits.maxFieldsBytes };
}
