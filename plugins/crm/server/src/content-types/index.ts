import campaign from './campaign';
import segment from './segment';

export default { segment, campaign };
