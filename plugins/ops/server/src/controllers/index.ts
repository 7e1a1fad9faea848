import backups from './backups';
import jobs from './jobs';
import tokens from './tokens';

export default { backups, jobs, tokens };
