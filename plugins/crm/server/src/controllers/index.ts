import campaigns from './campaigns';
import segments from './segments';
import tracking from './tracking';

export default { campaigns, segments, tracking };
