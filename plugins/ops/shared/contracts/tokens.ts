/** One content-API token as the API tokens' budgets page shows it (never its value). */
export type TokenUsage = {
  id: number;
  name: string;
  type: string;
  expiresAt: string | null;
  /** The latest request made with it (this page's count, or Strapi's own hourly mark, whichever is later). */
  lastUsedAt: string | null;
  /** Requests a minute it may make: its own budget, or the default. */
  perMinute: number;
  /** Whether `perMinute` is this token's own (else the default, RATE_LIMIT_TOKEN_PER_MINUTE). */
  customBudget: boolean;
  /** Requests made with it today and over the last 7 and 30 days (UTC days, today included). */
  requests: { today: number; last7Days: number; last30Days: number };
  /** After a rotation: until when the previous value still works. */
  previousKeyValidUntil: string | null;
};

/** `GET /ops/tokens` */
export type ListTokensResponse = { data: TokenUsage[]; meta: { defaultPerMinute: number } };

/** `PUT /ops/tokens/:id/budget` body: a budget of its own, or null for the default. */
export type SetBudgetRequest = { perMinute: number | null };
export type SetBudgetResponse = { data: TokenUsage };

/** `POST /ops/tokens/:id/rotate` body: how long the previous value keeps working (hours, 0 to 168; 24 by default). */
export type RotateTokenRequest = { overlapHours?: number };
/** The new value, shown once. */
export type RotateTokenResponse = { data: { accessKey: string; previousKeyValidUntil: string | null; token: TokenUsage } };

export const OVERLAP_HOURS = { default: 24, max: 168 } as const;
export const PER_MINUTE_MAX = 100_000;
