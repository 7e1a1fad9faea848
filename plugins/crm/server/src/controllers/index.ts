import campaigns from './campaigns';
import email from './email';
import privacy from './privacy';
import segments from './segments';
import tracking from './tracking';

export default { campaigns, email, privacy, segments, tracking };
