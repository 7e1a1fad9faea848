import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import twilio from 'twilio';
import { INBOUND_PATH } from '../../../shared/contracts';
import { pluginConfig } from '../utils/plugin-config';

type PolicyContext = {
  request: { header: Record<string, string | undefined>; body?: Record<string, string>; querystring?: string };
};

export { INBOUND_PATH };

/**
 * Only Twilio may post inbound messages: the X-Twilio-Signature header is checked with the twilio SDK
 * against the public URL of this route (PUBLIC_URL, so it holds behind a TLS proxy) and the auth token.
 */
const twilioSignature = (context: PolicyContext, _config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const { twilioAuthToken, publicUrl } = pluginConfig(strapi);
  const signature = context.request.header['x-twilio-signature'];
  if (!twilioAuthToken) {
    strapi.log.error('sms-voting: TWILIO_AUTH_TOKEN is not set, so every inbound SMS webhook is refused');
  }
  const query = context.request.querystring ? `?${context.request.querystring}` : '';
  const url = `${publicUrl.replace(/\/$/, '')}${INBOUND_PATH}${query}`;
  if (!twilioAuthToken || !signature || !twilio.validateRequest(twilioAuthToken, signature, url, context.request.body ?? {})) {
    throw new errors.PolicyError('Invalid or missing Twilio signature', { policy: 'twilio-signature' });
  }
  return true;
};

export default twilioSignature;
