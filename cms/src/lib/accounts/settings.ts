/** Self-registration through /api/auth/local/register: closed unless USERS_REGISTRATION_OPEN=true. */
export const registrationOpen = (env: NodeJS.ProcessEnv = process.env) => env.USERS_REGISTRATION_OPEN === 'true';

/** Password-reset requests allowed per hour, per email address and per client address. */
export const RESET_REQUESTS_PER_HOUR = 3;

/**
 * The least time a forgot-password request takes, known address or not, so the answer's timing says
 * nothing about who has an account (a known address writes a code and queues an email).
 */
export const FORGOT_PASSWORD_MIN_MS = 400;

/** Failed admin sign-ins one client address may make in 15 minutes, whichever accounts it tries. */
export const adminLoginFailuresPerAddress = (env: NodeJS.ProcessEnv = process.env) => Number(env.ADMIN_LOGIN_FAILURES_PER_ADDRESS || 10);
export const ADMIN_LOGIN_WINDOW_SECONDS = 15 * 60;
