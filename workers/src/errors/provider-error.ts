/**
 * A provider answered and did not take the message. `permanent` when sending again cannot succeed.
 * A failure without an answer (a timeout, a dropped connection) is not a ProviderError: the message
 * may have been taken, so the next attempt asks the provider before sending again.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status?: number
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
