import audience from './audience';
import campaignStats from './campaign-stats';
import campaigns from './campaigns';
import dataExports from './exports';
import fans from './fans';
import delivery from './delivery';
import fanout from './fanout';
import retention from './retention';
import segments from './segments';
import sendGate from './send-gate';
import shortLinks from './short-links';

export default { audience, campaigns, exports: dataExports, fans, fanout, retention, segments, 'send-gate': sendGate, delivery, 'short-links': shortLinks, 'campaign-stats': campaignStats };
