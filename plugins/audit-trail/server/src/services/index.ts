import actors from './actors';
import ledger from './ledger';

export default { actors, ledger };
