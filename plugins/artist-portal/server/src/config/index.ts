type Env = { (key: string, fallback?: string): string };

export type ArtistPortalConfig = {
  /** Signs claim tokens (HMAC-SHA256): a token is only good with the key it was made with. */
  signingKey: string;
  /** Where claim links point: `${siteUrl}/artist/claim/<token>` (`/es/artist/…` in Spanish). */
  siteUrl: string;
};

export default {
  default: ({ env }: { env: Env }): ArtistPortalConfig => ({
    signingKey: '',
    siteUrl: env('SITE_URL', 'http://localhost:4321'),
  }),
  validator(config: ArtistPortalConfig) {
    if (!config.signingKey || config.signingKey.length < 16) throw new Error('artist-portal: signingKey must be a secret of 16 characters or more');
    if (!/^https?:\/\//.test(config.siteUrl)) throw new Error('artist-portal: siteUrl must be an http(s) URL');
  },
};
