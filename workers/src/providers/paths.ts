/** The cms route Twilio posts each message's status to (plugins/crm), under PUBLIC_URL. */
export const TWILIO_STATUS_CALLBACK_PATH = '/api/crm/twilio/status';

/** The custom argument naming the outbox row on each email, echoed by SendGrid's Event Webhook. */
export const SENDGRID_REFERENCE_ARG = 'ovation_message_id';
