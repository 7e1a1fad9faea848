import type { Core } from '@strapi/strapi';
import { sessionLifespans } from '../src/lib/accounts/sessions';
import { secrets } from '../src/lib/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => {
  const s = secrets();
  return {
    // Idle 30 minutes, 12 hours at most, from the environment (src/lib/accounts/sessions.ts).
    auth: { secret: s.ADMIN_JWT_SECRET, sessions: sessionLifespans() },
    apiToken: { salt: s.API_TOKEN_SALT },
    transfer: { token: { salt: s.TRANSFER_TOKEN_SALT } },
    secrets: { encryptionKey: s.ENCRYPTION_KEY },
    flags: {
      nps: env.bool('FLAG_NPS', false),
      promoteEE: env.bool('FLAG_PROMOTE_EE', false),
    },
    // The site has no preview route (the handler names none): without this the edit view offers
    // "Set up preview", a link to Strapi's docs.
    preview: { enabled: false, config: { handler: () => null } },
    serveAdminPanel: env.bool('SERVE_ADMIN', true),
  };
};

export default config;
