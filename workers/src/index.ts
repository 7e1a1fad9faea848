export * from './jobs-entry';
export { handlers, type JobContext, type JobHandler } from './jobs';
export { startConsumers, type Consumers } from './consumer';
export { providersFromEnv, type Providers, type MessageProvider } from './providers';
export { createLogger, type Logger } from './logger';
export { PermanentJobError, ProviderError } from './errors';
