import campaigns from './campaigns';
import privacy from './privacy';
import segments from './segments';

export default { campaigns, privacy, segments };
