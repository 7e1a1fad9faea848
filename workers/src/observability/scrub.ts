/**
 * The last line of defence for logs and error reports: phone numbers, emails, voting links, bearer
 * credentials and the platform's own secret values are replaced wherever they appear in a text.
 * Callers already avoid writing them; this catches what a library or an error message lets through.
 */
const PHONE = /\+\d[\d\s().-]{6,18}\d/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// A voting link's token (`/vote/<token>`, `/tokens/<token>`) and secrets in query strings.
const LINK_TOKEN = /(\/(?:vote|tokens)\/)[A-Za-z0-9_-]{8,}/g;
const SECRET_PARAM = /([?&](?:token|access_token|code|confirmation|secret|key|signature|password)=)[^&\s"']+/gi;

/** Environment variables whose values never appear in a log line or an error report. */
export const SECRET_VARIABLES = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'PII_ENCRYPTION_KEY',
  'SITE_TOKEN',
  'AUDIT_SIGNING_KEY',
  'TWILIO_AUTH_TOKEN',
  'SENDGRID_API_KEY',
  'METRICS_TOKEN',
  'BACKUP_ENCRYPTION_KEY',
  'S3_SECRET_ACCESS_KEY',
  'DATABASE_PASSWORD',
] as const;

let secretValues: string[] | undefined;
const secrets = () =>
  (secretValues ??= SECRET_VARIABLES.flatMap((name) => (process.env[name] ?? '').split(','))
    .map((value) => value.trim())
    .filter((value) => value.length >= 8)
    // Longest first, so a value that contains another is replaced whole.
    .sort((a, b) => b.length - a.length));

/** Forget the secret values read (a test that changes the environment). */
export const resetScrubber = () => (secretValues = undefined);

export function scrubText(text: string): string {
  let out = text;
  for (const secret of secrets()) if (out.includes(secret)) out = out.split(secret).join('[secret]');
  return out
    .replace(BEARER, '$1 [redacted]')
    .replace(LINK_TOKEN, '$1[redacted]')
    .replace(SECRET_PARAM, '$1[redacted]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, '[phone]');
}

// Fields never sent on whatever they hold: credentials, signatures, and client addresses (personal data).
const SECRET_KEYS = /^(authorization|proxy-authorization|cookie|set-cookie|x-twilio-signature|x-ovation-site-token|x-ovation-client-address|x-forwarded-for|x-real-ip|ip_address|password|token|secret)$/i;

/** The same for any JSON-like value (an error report's request data, a log line's metadata). */
export function scrubValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (!value || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1)) as T;
  if (value instanceof Date || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEYS.test(key) ? '[redacted]' : scrubValue(item, depth + 1);
  }
  return out as T;
}
