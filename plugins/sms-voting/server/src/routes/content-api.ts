import { InboundSmsBody, LeaderboardQuery, SlugParams, TokenParams, WebVoteBatchBody, WebVoteBody } from './schemas';
import { BallotResponse, StandingsResponse, VoteBatchResponse, VoteReceiptResponse } from './responses';

const limit = (limit: string, by: 'ip' | 'from' | 'token', spentOn?: number[]) => ({ name: 'plugin::sms-voting.rate-limit', config: { limit, by, spentOn } });
// Unknown tokens (404) are guesses: counted per address. Fans' own tokens are limited per token, so
// any number of fans behind one address (a venue's Wi-Fi) can each open their link and vote.
const guesses = () => limit('guessesPerIp', 'ip', [404]);

/** Public routes, each protected by its own rate limit (and the webhook by Twilio's signature). */
export default {
  type: 'content-api',
  routes: [
    {
      method: 'POST',
      path: '/twilio/inbound',
      handler: 'twilio.inbound',
      request: { body: { 'application/x-www-form-urlencoded': InboundSmsBody } },
      config: { auth: false, policies: ['plugin::sms-voting.twilio-signature'], middlewares: [limit('smsPerNumber', 'from')] },
    },
    {
      method: 'POST',
      path: '/votes',
      handler: 'votes.create',
      request: { body: { 'application/json': WebVoteBody } },
      response: VoteReceiptResponse,
      config: { auth: false, middlewares: [guesses(), limit('attemptsPerToken', 'token')] },
    },
    {
      // The site's votes for many fans at once, each limited as on /votes (in the handler).
      method: 'POST',
      path: '/votes/batch',
      handler: 'votes.batch',
      request: { body: { 'application/json': WebVoteBatchBody } },
      response: VoteBatchResponse,
      config: { auth: false, policies: ['plugin::sms-voting.from-site'] },
    },
    {
      method: 'GET',
      path: '/tokens/:token',
      handler: 'votes.token',
      request: { params: TokenParams },
      response: BallotResponse,
      config: { auth: false, middlewares: [guesses(), limit('readsPerToken', 'token')] },
    },
    {
      method: 'GET',
      path: '/events/:slug/leaderboard',
      handler: 'leaderboard.show',
      request: { params: SlugParams, query: LeaderboardQuery },
      response: StandingsResponse,
      config: { auth: false, middlewares: [limit('readsPerIp', 'ip')] },
    },
    {
      method: 'GET',
      path: '/events/:slug/leaderboard/stream',
      handler: 'leaderboard.stream',
      request: { params: SlugParams },
      config: { auth: false, middlewares: [limit('readsPerIp', 'ip')] },
    },
  ],
};
