import backups from './backups';
import jobs from './jobs';

export default { backups, jobs };
