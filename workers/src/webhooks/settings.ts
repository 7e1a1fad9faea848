/** Svix's schedule: the waits before the 2nd to 8th attempts (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

const positive = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
};

export type WebhookSettings = {
  /** Waits before each retry; a delivery fails for good after the last one. */
  retryScheduleMs: number[];
  /** One attempt's whole time: connect, send, answer. */
  timeoutMs: number;
  /** A subscription whose every delivery failed for this long is disabled and its owner told. */
  disableAfterMs: number;
  /** Attempts to one subscription's endpoint at once, per worker process: a slow partner holds no more. */
  perEndpoint: number;
  /** How long the previous secret still signs after a rotation. */
  rotationOverlapMs: number;
  /** `host` or `host:port` entries whose private addresses may be reached (tests' local receivers). */
  allowHosts: string[];
  /** Plain http is refused in production. */
  httpsOnly: boolean;
};

/** Read at each use, so a test can shorten the schedule through the environment of its process. */
export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const schedule = env.WEBHOOKS_RETRY_SCHEDULE_MS?.split(',').map((part) => Number(part.trim()));
  return {
    retryScheduleMs: schedule && schedule.every((ms) => Number.isFinite(ms) && ms >= 0) ? schedule : DEFAULT_RETRY_SCHEDULE_MS,
    timeoutMs: positive(env.WEBHOOKS_TIMEOUT_MS, 15_000),
    disableAfterMs: positive(env.WEBHOOKS_DISABLE_AFTER_MS, 5 * 86_400_000),
    perEndpoint: positive(env.WEBHOOKS_PER_ENDPOINT, 4),
    rotationOverlapMs: positive(env.WEBHOOKS_ROTATION_OVERLAP_MS, 86_400_000),
    allowHosts: (env.WEBHOOKS_ALLOW_HOSTS ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean),
    httpsOnly: env.NODE_ENV === 'production',
  };
}
