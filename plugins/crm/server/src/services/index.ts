import audience from './audience';
import campaigns from './campaigns';
import dataExports from './exports';
import fans from './fans';
import fanout from './fanout';
import retention from './retention';
import segments from './segments';
import sendGate from './send-gate';

export default { audience, campaigns, exports: dataExports, fans, fanout, retention, segments, 'send-gate': sendGate };
