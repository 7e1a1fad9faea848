import admin from './admin';
import leaderboard from './leaderboard';
import twilio from './twilio';
import votes from './votes';
import wizard from './wizard';

export default { admin, leaderboard, twilio, votes, wizard };
