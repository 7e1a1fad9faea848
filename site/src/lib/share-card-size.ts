/** The share cards' size (Open Graph's recommended 1.91:1), apart from their drawing so pages need not load sharp. */
export const SHARE_CARD = { width: 1200, height: 630 } as const;
