import audience from './audience';
import campaignStats from './campaign-stats';
import campaigns from './campaigns';
import emailSignups from './email-signups';
import dataExports from './exports';
import fans from './fans';
import delivery from './delivery';
import retention from './retention';
import segments from './segments';
import sendGate from './send-gate';
import shortLinks from './short-links';
import testSends from './test-sends';
import unsubscribe from './unsubscribe';

export default {
  audience,
  campaigns,
  exports: dataExports,
  fans,
  retention,
  segments,
  'send-gate': sendGate,
  delivery,
  'short-links': shortLinks,
  'campaign-stats': campaignStats,
  'email-signups': emailSignups,
  'test-sends': testSends,
  unsubscribe,
};
