import audience from './audience';
import campaignStats from './campaign-stats';
import campaigns from './campaigns';
import delivery from './delivery';
import fanout from './fanout';
import segments from './segments';
import sendGate from './send-gate';
import shortLinks from './short-links';

export default { audience, campaigns, fanout, segments, 'send-gate': sendGate, delivery, 'short-links': shortLinks, 'campaign-stats': campaignStats };
