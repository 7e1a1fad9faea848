import campaigns from './campaigns';
import segments from './segments';

export default { campaigns, segments };
