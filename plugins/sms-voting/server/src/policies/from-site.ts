import { errors } from '@strapi/utils';

type PolicyContext = { state: { caller?: { kind: string } } };

/** The site's token came with the request: the app's caller is the site, or a fan it names. */
export const isSiteCaller = (caller?: { kind: string }) => caller?.kind === 'site' || caller?.kind === 'fan';

/**
 * Only the site may call: its token came with the request (the app's caller is the site, or a fan
 * it names). Anyone else is a 403.
 */
const fromSite = (context: PolicyContext) => {
  if (!isSiteCaller(context.state.caller)) throw new errors.PolicyError('Only the site sends votes in batches', { policy: 'from-site' });
  return true;
};

export default fromSite;
