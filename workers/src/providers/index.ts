import { TWILIO_STATUS_CALLBACK_PATH } from './paths';
import { createSandboxProvider } from './sandbox';
import { createSendGridProvider } from './sendgrid';
import { createTwilioProvider } from './twilio';
import type { MessageProvider } from './types';

export type Providers = { sms: MessageProvider; email: MessageProvider };
export type { MessageProvider, OutboundMessage, ProviderName } from './types';

/** Twilio and SendGrid when their credentials are set, otherwise the sandbox. */
export function providersFromEnv(env: NodeJS.ProcessEnv = process.env): Providers {
  const twilioFrom = env.TWILIO_MESSAGING_SERVICE_SID || env.TWILIO_FROM;
  const sms =
    env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && twilioFrom
      ? createTwilioProvider({
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: twilioFrom,
          apiBaseUrl: env.TWILIO_API_BASE_URL,
          statusCallback: env.PUBLIC_URL ? `${env.PUBLIC_URL.replace(/\/$/, '')}${TWILIO_STATUS_CALLBACK_PATH}` : undefined,
        })
      : createSandboxProvider('sms');
  const email =
    env.SENDGRID_API_KEY && env.EMAIL_FROM
      ? createSendGridProvider({ apiKey: env.SENDGRID_API_KEY, from: env.EMAIL_FROM, apiBaseUrl: env.SENDGRID_API_BASE_URL })
      : createSandboxProvider('email');
  return { sms, email };
}
