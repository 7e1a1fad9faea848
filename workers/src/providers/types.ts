export type OutboundMessage = {
  channel: 'sms' | 'email';
  to: string;
  subject?: string;
  body: string;
};

export type ProviderName = 'twilio' | 'sendgrid' | 'sandbox';

/** One small interface per outbound provider. `send` resolves with the provider's message id. */
export interface MessageProvider {
  readonly name: ProviderName;
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
}
