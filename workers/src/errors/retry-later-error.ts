/**
 * Nothing happened yet and something the job needs is away for a moment (Redis for the send-rate
 * throttle, say): the job is queued again after `delayMs` without spending one of its attempts.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs = 1_000
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
