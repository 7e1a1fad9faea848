/**
 * Marketing email's public API, once: the cms's controllers `satisfy` these shapes and the site's
 * forms import them (`@ovation/plugin-crm/contracts`). Types and constants only.
 */

export type Language = 'en' | 'es';

/** Public routes of the crm plugin (under the cms's `/api/crm`); their tokens are URL-safe as made (base64url). */
export const EMAIL_API = {
  subscribe: '/api/crm/email/subscriptions',
  confirm: (token: string) => `/api/crm/email/confirm/${token}`,
  unsubscribe: (token: string) => `/api/crm/email/unsubscribe/${token}`,
} as const;

/** Where a sign-up form stands: a vote page (the voting link says which fan) or an event's recap. */
export type SignupSource = 'vote-page' | 'recap-page';

/**
 * The exact words a fan is shown beside the email field, and recorded (with their SHA-256 and this
 * version) as the evidence of their `marketing_email` opt-in when they confirm. A change of wording
 * is a new version.
 */
export const EMAIL_CONSENT_VERSION = 'email-consent-2026-12-03';
export const EMAIL_CONSENT_TEXT: Record<Language, (brand: string) => string> = {
  en: (brand) => `Email me news about events, artists and tickets from ${brand}. I can unsubscribe at any time with the link in every email.`,
  es: (brand) => `Quiero recibir por email noticias de eventos, artistas y entradas de ${brand}. Puedo darme de baja cuando quiera con el enlace de cada email.`,
};

export namespace Subscribe {
  export type Request = {
    email: string;
    language: Language;
    source: SignupSource;
    /** On a vote page: the voting link's token, which names the fan. */
    token?: string;
    /** On a recap page: the event's slug. */
    event?: string;
  };
  /** Always the same answer, known address or not: a confirmation email is on its way. */
  export type Response = { data: { status: 'confirmation-sent'; expiresAt: string } };
}

export namespace Confirm {
  export type Response = { data: { status: 'confirmed' } };
}

export namespace Unsubscribe {
  export type Response = { data: { status: 'unsubscribed' } };
}

/** How long a confirmation link works. */
export const CONFIRMATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** An email address as the platform keeps it: trimmed and lower-cased (its hash is the lookup key). */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** A plausible address (the confirmation email proves it): one @, a dot in the domain, no spaces. */
export const isPlausibleEmail = (email: string) => email.length <= 254 && /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/.test(email);
