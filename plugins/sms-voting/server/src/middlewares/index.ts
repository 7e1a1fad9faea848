import lanes from './lanes';
import rateLimit from './rate-limit';

export default { lanes, 'rate-limit': rateLimit };
