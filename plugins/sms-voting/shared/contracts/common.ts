export type Language = 'en' | 'es';
export type RoundState = 'pending' | 'open' | 'closed';
export type EventPhase = 'draft' | 'scheduled' | 'live' | 'closed' | 'archived';
export type ResultsVisibility = 'public' | 'after_close' | 'private';

/** Strapi's error shape, which every 4xx and 503 of this plugin answers with. */
export interface ErrorResponse {
  data: null;
  error: {
    status: number;
    name: string;
    message: string;
    details?: { errors?: { path: (string | number)[]; message: string; name: string }[]; retryAfter?: number };
  };
}
