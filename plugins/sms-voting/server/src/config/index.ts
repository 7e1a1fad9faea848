import { DEFAULT_REDIS_URL } from '@ovation/workers/jobs';

type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
};

export type Limit = { points: number; duration: number };

export type SmsVotingConfig = {
  /** The cms's public address: Twilio signs its webhooks for `${publicUrl}/api/sms-voting/twilio/inbound`. */
  publicUrl: string;
  /** Without it every inbound webhook is refused: nothing unsigned is ever trusted. */
  twilioAuthToken: string;
  /** Where voting links point: `${siteUrl}/vote/<token>` (`/es/vote/…` for Spanish-speaking fans). */
  siteUrl: string;
  /** The name fans know the news by: a join's reply invites "Reply YES for news from <brand>". */
  brandName: string;
  redisUrl: string;
  redisPrefix: string;
  /**
   * SMS votes on PostgreSQL go through the one-statement fast path (services/sms-votes.ts); false
   * sends every message through the general path, which answers the same, more slowly.
   */
  fastSmsVotes: boolean;
  /** Web votes likewise (services/web-votes.ts); false sends them through the general path. */
  fastWebVotes: boolean;
  /** How often round schedules (opens_at / closes_at) are applied; 0 turns the scheduler off. */
  scheduleIntervalMs: number;
  limits: {
    smsPerNumber: Limit;
    /** Unknown voting tokens tried (web votes and ballot reads answered 404) per address. */
    guessesPerIp: Limit;
    attemptsPerToken: Limit;
    readsPerToken: Limit;
    readsPerIp: Limit;
  };
  /** Live leaderboard streams open at once, per client address and in this process; past either, 429. */
  streams: { perClient: number; perProcess: number };
  /** More than this many in a minute is recorded as suspicious. */
  abuse: { joinsPerPrefix: number; webVotesPerIp: number };
};

export default {
  default: ({ env }: { env: Env }): SmsVotingConfig => ({
    publicUrl: env('PUBLIC_URL', '') || `http://localhost:${env.int('PORT', 1337)}`,
    twilioAuthToken: env('TWILIO_AUTH_TOKEN', ''),
    siteUrl: env('SITE_URL', 'http://localhost:4321'),
    brandName: env('BRAND_NAME', 'Ovation'),
    redisUrl: env('REDIS_URL', DEFAULT_REDIS_URL),
    redisPrefix: env('REDIS_PREFIX', 'ovation'),
    fastSmsVotes: env('SMS_VOTING_FAST_SMS_VOTES', 'true') !== 'false',
    fastWebVotes: env('SMS_VOTING_FAST_WEB_VOTES', 'true') !== 'false',
    scheduleIntervalMs: env.int('SMS_VOTING_SCHEDULE_INTERVAL_MS', 5000),
    limits: {
      smsPerNumber: { points: env.int('SMS_VOTING_SMS_PER_MINUTE', 12), duration: 60 },
      guessesPerIp: { points: env.int('SMS_VOTING_TOKEN_GUESSES_PER_IP_PER_MINUTE', 60), duration: 60 },
      attemptsPerToken: { points: 10, duration: 60 },
      readsPerToken: { points: 60, duration: 60 },
      readsPerIp: { points: env.int('SMS_VOTING_READS_PER_IP_PER_MINUTE', 600), duration: 60 },
    },
    streams: { perClient: env.int('SMS_VOTING_STREAMS_PER_CLIENT', 10), perProcess: env.int('SMS_VOTING_STREAMS_PER_PROCESS', 2000) },
    abuse: { joinsPerPrefix: 20, webVotesPerIp: 30 },
  }),
  validator(config: SmsVotingConfig) {
    if (!/^https?:\/\//.test(config.publicUrl)) throw new Error('sms-voting: publicUrl must be an http(s) URL');
    if (!/^https?:\/\//.test(config.siteUrl)) throw new Error('sms-voting: siteUrl must be an http(s) URL');
  },
};
