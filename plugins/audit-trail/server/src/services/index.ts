import actors from './actors';
import checkpoints from './checkpoints';
import entries from './entries';
import exportsService from './exports';
import ledger from './ledger';
import retention from './retention';
import verification from './verification';

// `exports` is CommonJS's own name: imported under another.
export default { actors, checkpoints, entries, exports: exportsService, ledger, retention, verification };
