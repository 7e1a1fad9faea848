export * from './jobs-entry';
export { handlers, type JobContext, type JobHandler } from './jobs';
export { startConsumers, type Consumers } from './consumer';
export { startSweeper } from './sweeper';
export { createLane, type Lane } from './durable/lane';
export { createThrottle } from './throttle';
export { providersFromEnv, type Providers, type MessageProvider } from './providers';
export { createLogger, type Logger } from './logger';
export { PermanentJobError, ProviderError, RetryLaterError } from './errors';
