import type { APIRoute } from 'astro';
import { artistPaths } from '../../lib/artist-pages';
import { asArtist, endSession, hasSession } from '../../lib/artist-session';

/** Signs the artist out: the CMS ends the session (its refresh token stops working), the cookies go. */
export const POST: APIRoute = async (astro) => {
  if (hasSession(astro)) await asArtist(astro, '/api/auth/logout', { method: 'POST', json: {} }).catch(() => undefined);
  endSession(astro);
  return astro.redirect(artistPaths.login(), 303);
};
