export { PermanentJobError } from './permanent-job-error';
export { ProviderError } from './provider-error';
