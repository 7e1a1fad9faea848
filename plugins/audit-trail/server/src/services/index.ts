import actors from './actors';
import entries from './entries';
import ledger from './ledger';

export default { actors, entries, ledger };
