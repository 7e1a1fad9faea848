/** `POST /api/auth/local` and `POST /admin/login` for an account with two-factor on. */
export type TwoFactorRequired = { twoFactorRequired: true; challenge: string; enrolmentRequired?: true };

/** `POST /admin/two-factor/enrolment/confirm`: core's login answer, and the recovery codes shown once. */
export type EnrolledSignIn = { token: string; accessToken: string; user: unknown; recoveryCodes: string[] };

/** Enrolment started: what the authenticator app needs (the QR code encodes `otpauthUri`). */
export type Enrolment = { secret: string; otpauthUri: string; qrCode?: string };

/** Enrolment confirmed, or a new set: shown once, never stored in clear. */
export type RecoveryCodes = { recoveryCodes: string[] };

export type TwoFactorStatus = { enrolled: boolean; recoveryCodesLeft: number };

/**
 * One of the signed-in account's sessions (`GET /admin/users/me/sessions`, `GET /api/auth/sessions`):
 * Strapi's entry with the masked address it signed in from (cms/src/lib/accounts/session-list.ts).
 */
export type SessionEntry = { id: string; deviceName?: string; ip?: string; current: boolean; loginAt?: string; lastActiveAt?: string };

/** `GET`/`PUT /two-factor/settings`: the admin roles whose members must use two-factor sign-in. */
export type TwoFactorSettings = {
  requiredRoles: string[];
  /** Every admin role, to choose from. */
  roles: { code: string; name: string }[];
  /** True until the setting is saved in the admin: the environment's (`TWO_FACTOR_REQUIRED_ROLES`) applies. */
  fromEnvironment: boolean;
};

/** `GET /two-factor/users`: each admin and whether they sign in with two-factor (for a super admin's reset). */
export type AdminFactorEntry = { id: number; name: string; email: string; roles: string[]; enrolled: boolean };
