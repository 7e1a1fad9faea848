import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import twilio from 'twilio';
import { TWILIO_STATUS_CALLBACK_PATH } from '@ovation/workers/jobs';
import { guardCallback } from '../tracking/refused-callbacks';
import { pluginConfig } from '../utils/plugin-config';

type PolicyContext = {
  request: { ip: string; header: Record<string, string | undefined>; body?: Record<string, string>; querystring?: string };
  response?: { set(name: string, value: string): void };
};

/**
 * Only Twilio may post message statuses: X-Twilio-Signature is checked with the twilio SDK against the
 * callback's public URL (PUBLIC_URL + the path the workers give Twilio) and the auth token, exactly
 * as the voting plugin checks inbound SMS (plugins/sms-voting/server/src/policies/twilio-signature.ts).
 */
const twilioSignature = async (context: PolicyContext, _config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const { twilioAuthToken, publicUrl } = pluginConfig(strapi);
  const signature = context.request.header['x-twilio-signature'];
  if (!twilioAuthToken) strapi.log.error('crm: TWILIO_AUTH_TOKEN is not set, so every Twilio status callback is refused');
  const query = context.request.querystring ? `?${context.request.querystring}` : '';
  const url = `${publicUrl.replace(/\/$/, '')}${TWILIO_STATUS_CALLBACK_PATH}${query}`;
  return guardCallback(
    context,
    () => Boolean(twilioAuthToken && signature && twilio.validateRequest(twilioAuthToken, signature, url, context.request.body ?? {})),
    () => new errors.PolicyError('Invalid or missing Twilio signature', { policy: 'twilio-signature' }),
    strapi
  );
};

export default twilioSignature;
