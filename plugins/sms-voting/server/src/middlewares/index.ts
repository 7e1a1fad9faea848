import inboundLane from './inbound-lane';
import rateLimit from './rate-limit';

export default { 'inbound-lane': inboundLane, 'rate-limit': rateLimit };
