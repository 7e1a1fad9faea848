import { DEFAULT_REDIS_URL } from '@ovation/workers/jobs';

type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
  bool(key: string, fallback?: boolean): boolean;
};

export type TwoFactorConfig = {
  /** 32 random bytes, base64: the TOTP secrets' sealing key and the recovery codes' hash key are derived from it (HKDF). */
  encryptionKey: string;
  /** Keys the hash under which a client address is counted in Redis (never the address itself). */
  addressKey: string;
  /** The name authenticator apps show next to the account. */
  issuer: string;
  redisUrl: string;
  redisPrefix: string;
  /** Admins may enrol and then sign in with a code; `TWO_FACTOR_ADMIN=false` turns it off (every admin route 404). */
  admin: boolean;
  /** Admin role codes whose members must enrol right after the password before they can use the admin. */
  requiredRoles: string[];
  challenge: { ttlSeconds: number; maxFailures: number };
  /** Wrong codes per account and per address in `windowSeconds`; past it, 429 for `lockSeconds`. */
  failures: { points: number; windowSeconds: number; lockSeconds: number };
};

export default {
  default: ({ env }: { env: Env }): TwoFactorConfig => ({
    encryptionKey: '',
    addressKey: '',
    issuer: env('TWO_FACTOR_ISSUER', 'Ovation'),
    redisUrl: env('REDIS_URL', DEFAULT_REDIS_URL),
    redisPrefix: env('REDIS_PREFIX', 'ovation'),
    admin: env.bool('TWO_FACTOR_ADMIN', true),
    requiredRoles: [],
    challenge: { ttlSeconds: 300, maxFailures: 5 },
    failures: { points: 10, windowSeconds: 900, lockSeconds: 900 },
  }),
  validator(config: TwoFactorConfig) {
    if (Buffer.from(config.encryptionKey, 'base64').length !== 32) {
      throw new Error('two-factor: encryptionKey must be 32 random bytes, base64-encoded (openssl rand -base64 32)');
    }
    if (!config.addressKey) throw new Error('two-factor: addressKey is required');
    if (!Array.isArray(config.requiredRoles)) throw new Error('two-factor: requiredRoles must be a list of admin role codes');
  },
};
