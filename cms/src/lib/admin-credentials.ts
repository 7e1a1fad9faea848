import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { CMS_DIR } from './cms-dir';
import { parseEnvFile } from './secrets';

export type AdminCredentials = { email: string; password: string };
/** New credentials and where they were kept: `file`, or why they could not be (`notKept`). */
export type NewAdmin = AdminCredentials & { file?: string; notKept?: string };

/** A password Strapi accepts (eight characters or more, upper and lower case, a digit) that nobody has to invent. */
export const generateAdminPassword = () => `Ov${crypto.randomBytes(12).toString('base64url')}9a`;

/**
 * Where a generated admin password is kept: ADMIN_CREDENTIALS_FILE, else cms/.admin-credentials in
 * development (git-ignored like cms/.env). Test and production runs keep it nowhere unless told.
 */
export function adminCredentialsFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.ADMIN_CREDENTIALS_FILE) return path.resolve(env.ADMIN_CREDENTIALS_FILE);
  return (env.NODE_ENV || 'development') === 'development' ? path.join(CMS_DIR, '.admin-credentials') : undefined;
}

/** A path as a person at the repository root would type it. */
export function shownPath(file: string) {
  const relative = path.relative(path.dirname(CMS_DIR), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** Writes the file readable by its owner alone (mode 600), replacing it whole: no reader sees half of it. */
export function saveAdminCredentials({ email, password }: AdminCredentials, file: string, now = new Date()) {
  const text = [
    `# Ovation's admin, set ${now.toISOString()}: sign in at /admin on the cms. Never commit this file.`,
    '# A password changed in the admin is not written here; `npm run admin:password` sets a new one that is.',
    `ADMIN_EMAIL=${email}`,
    `ADMIN_PASSWORD=${password}`,
    '',
  ].join('\n');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.rmSync(partial, { force: true });
  fs.writeFileSync(partial, text, { mode: 0o600, flag: 'wx' });
  fs.renameSync(partial, file);
}

/**
 * Keeps generated credentials where `adminCredentialsFile` says. A file that cannot be written (a
 * read-only container) is reported, never fatal: the password is printed all the same.
 */
export function keepAdminCredentials(credentials: AdminCredentials, env: NodeJS.ProcessEnv = process.env): NewAdmin {
  const file = adminCredentialsFile(env);
  if (!file) return credentials;
  try {
    saveAdminCredentials(credentials, file);
    return { ...credentials, file };
  } catch (error) {
    return { ...credentials, notKept: `${shownPath(file)}: ${(error as Error).message}` };
  }
}

export function readAdminCredentials(file: string): AdminCredentials | undefined {
  if (!fs.existsSync(file)) return undefined;
  const values = parseEnvFile(fs.readFileSync(file, 'utf8'));
  return values.ADMIN_EMAIL && values.ADMIN_PASSWORD ? { email: values.ADMIN_EMAIL, password: values.ADMIN_PASSWORD } : undefined;
}

/** The credentials in `file` when it was written at or after `since` (by the run that started then). */
export function adminCreatedSince(file: string, since: number): AdminCredentials | undefined {
  return fs.existsSync(file) && fs.statSync(file).mtimeMs >= since ? readAdminCredentials(file) : undefined;
}

/** How a report tells a person about new credentials. */
export function describeNewAdmin(admin: NewAdmin, heading: string): string[] {
  return [
    '',
    `  ${heading}`,
    `    email:    ${admin.email}`,
    `    password: ${admin.password}`,
    admin.file
      ? `  Kept in ${shownPath(admin.file)} (readable only by you).`
      : admin.notKept
        ? `  Not kept (${admin.notKept}): copy it now, it is shown only here.`
        : '  Shown only here: copy it now.',
    '',
  ];
}
