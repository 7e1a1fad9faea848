/** A failure that retrying cannot fix (a malformed payload, a number the provider rejects). */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
