export type OutboundMessage = {
  channel: 'sms' | 'email';
  to: string;
  subject?: string;
  /** The text: an SMS, or an email's plain-text part. */
  body: string;
  /** An email's HTML part. */
  html?: string;
  /** An email's extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>;
  /** The outbox row's id: given to the provider with the message, so its status reports name the row. */
  reference?: string;
};

export type ProviderName = 'twilio' | 'sendgrid' | 'sandbox';

/** One small interface per outbound provider. */
export interface MessageProvider {
  readonly name: ProviderName;
  /**
   * Resolves with the provider's message id once it took the message. Rejects with a ProviderError
   * when the provider answered and did not take it; with any other error when there was no answer.
   */
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
  /**
   * The provider's record of this message sent since `since`, if it has one: how a retry after an
   * attempt that may have reached the provider avoids sending twice. Absent where the provider cannot
   * be asked.
   */
  findSent?(message: OutboundMessage & { since: Date }): Promise<{ providerMessageId: string } | null>;
}
