import campaigns from './campaigns';
import privacy from './privacy';
import segments from './segments';
import tracking from './tracking';

export default { campaigns, privacy, segments, tracking };
