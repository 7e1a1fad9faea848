/** A provider refused or failed a send. `permanent` when sending again cannot succeed. */
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
