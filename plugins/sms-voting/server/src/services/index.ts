import abuse from './abuse';
import attendance from './attendance';
import dashboard from './dashboard';
import directory from './directory';
import inbound from './inbound';
import leaderboard from './leaderboard';
import live from './live';
import limits from './limits';
import redis from './redis';
import rounds from './rounds';
import smsVotes from './sms-votes';
import webVotes from './web-votes';
import stats from './stats';
import tokens from './tokens';
import votes from './votes';
import wizard from './wizard';
import wizardViews from './wizard-views';

export default { abuse, attendance, dashboard, directory, inbound, leaderboard, live, limits, redis, rounds, 'sms-votes': smsVotes, stats, tokens, votes, 'web-votes': webVotes, wizard, 'wizard-views': wizardViews };
