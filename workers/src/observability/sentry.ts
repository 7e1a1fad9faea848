import type * as SentrySdk from '@sentry/node';
import { outageOf } from '../outages';
import { scrubText, scrubValue } from './scrub';

/**
 * Error tracking with Sentry when `SENTRY_DSN` is set (nothing otherwise), for the cms and the
 * workers alike. Events carry the release (`SENTRY_RELEASE`, else the package version) and the
 * environment (`SENTRY_ENVIRONMENT`, else NODE_ENV), and leave with every phone number, email, token
 * and secret scrubbed from their text, request data and breadcrumbs; no IP address or cookie is sent.
 */
let Sentry: typeof SentrySdk | undefined;

export function initErrorTracking(service: 'cms' | 'workers', { release, env = process.env }: { release: string; env?: NodeJS.ProcessEnv }) {
  if (!env.SENTRY_DSN || Sentry) return Boolean(Sentry);
  // Loaded only when it is used: the SDK and its instrumentation are some 1,300 modules in every process.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  Sentry = require('@sentry/node') as typeof SentrySdk;
  Sentry.init({
    dsn: env.SENTRY_DSN,
    release: env.SENTRY_RELEASE || release,
    environment: env.SENTRY_ENVIRONMENT || env.NODE_ENV || 'development',
    sendDefaultPii: false,
    // Errors only (no tracesSampleRate: tracing off, not sampled at zero): latency is Prometheus's job.
    initialScope: { tags: { service } },
    // An outage (Redis or PostgreSQL away) is not a bug: metrics and alerts cover it, not error reports.
    beforeSend: (event, hint) => (outageOf(hint.originalException) ? null : scrubEvent(event)),
    beforeBreadcrumb: (breadcrumb) => scrubValue(breadcrumb),
  });
  return true;
}

/** Sentry's event with nothing personal or secret left in it. */
export function scrubEvent<T extends SentrySdk.ErrorEvent>(event: T): T {
  const scrubbed = scrubValue(event);
  if (scrubbed.request) {
    delete scrubbed.request.cookies;
    // A body is what a fan sent (an SMS's From and Body): never sent on.
    if (scrubbed.request.data !== undefined) scrubbed.request.data = '[removed]';
    if (scrubbed.request.query_string) scrubbed.request.query_string = '[removed]';
    if (scrubbed.request.url) scrubbed.request.url = scrubText(scrubbed.request.url.split('?')[0]);
  }
  if (scrubbed.user) scrubbed.user = scrubbed.user.id ? { id: scrubbed.user.id } : undefined;
  return scrubbed;
}

/** Reports an error (when tracking is on) with closed-set tags such as a job name. */
export function reportError(error: unknown, tags: Record<string, string | number> = {}) {
  const sdk = Sentry;
  if (!sdk) return;
  sdk.withScope((scope) => {
    for (const [name, value] of Object.entries(tags)) scope.setTag(name, String(value));
    sdk.captureException(error);
  });
}

/** Sends what is queued before the process exits. */
export async function flushErrorTracking(timeoutMs = 2_000) {
  if (Sentry) await Sentry.flush(timeoutMs).catch(() => false);
}
