/** `POST /api/auth/local` and `POST /admin/login` for an account with two-factor on. */
export type TwoFactorRequired = { twoFactorRequired: true; challenge: string; enrolmentRequired?: true };

/** `POST /admin/two-factor/enrolment/confirm`: core's login answer, and the recovery codes shown once. */
export type EnrolledSignIn = { token: string; accessToken: string; user: unknown; recoveryCodes: string[] };

/** Enrolment started: what the authenticator app needs (the QR code encodes `otpauthUri`). */
export type Enrolment = { secret: string; otpauthUri: string; qrCode?: string };

/** Enrolment confirmed, or a new set: shown once, never stored in clear. */
export type RecoveryCodes = { recoveryCodes: string[] };

export type TwoFactorStatus = { enrolled: boolean; recoveryCodesLeft: number };
