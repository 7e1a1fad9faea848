import entries from './entries';
import verification from './verification';

export default { entries, verification };
