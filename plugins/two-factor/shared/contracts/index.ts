/** `POST /api/auth/local` and `POST /admin/login` for an account with two-factor on. */
export type TwoFactorRequired = { twoFactorRequired: true; challenge: string };

/** Enrolment started: what the authenticator app needs (the QR code encodes `otpauthUri`). */
export type Enrolment = { secret: string; otpauthUri: string; qrCode?: string };

/** Enrolment confirmed, or a new set: shown once, never stored in clear. */
export type RecoveryCodes = { recoveryCodes: string[] };

export type TwoFactorStatus = { enrolled: boolean; recoveryCodesLeft: number };
