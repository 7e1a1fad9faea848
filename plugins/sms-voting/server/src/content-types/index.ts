import attendance from './attendance';
import inboundMessage from './inbound-message';
import suspiciousActivity from './suspicious-activity';
import vote from './vote';
import voteToken from './vote-token';

export default {
  attendance,
  'vote-token': voteToken,
  vote,
  'inbound-message': inboundMessage,
  'suspicious-activity': suspiciousActivity,
};
