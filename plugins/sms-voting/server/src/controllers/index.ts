import admin from './admin';
import leaderboard from './leaderboard';
import twilio from './twilio';
import votes from './votes';

export default { admin, leaderboard, twilio, votes };
