import audience from './audience';
import campaigns from './campaigns';
import emailSignups from './email-signups';
import fanout from './fanout';
import segments from './segments';
import sendGate from './send-gate';
import testSends from './test-sends';
import unsubscribe from './unsubscribe';

export default { audience, campaigns, fanout, segments, 'send-gate': sendGate, 'email-signups': emailSignups, 'test-sends': testSends, unsubscribe };
