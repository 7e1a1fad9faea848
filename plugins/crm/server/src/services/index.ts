import audience from './audience';
import campaigns from './campaigns';
import fanout from './fanout';
import segments from './segments';
import sendGate from './send-gate';

export default { audience, campaigns, fanout, segments, 'send-gate': sendGate };
