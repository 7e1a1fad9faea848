export { PermanentJobError } from './permanent-job-error';
export { ProviderError } from './provider-error';
export { RetryLaterError } from './retry-later-error';
