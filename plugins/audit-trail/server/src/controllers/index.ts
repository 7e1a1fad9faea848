import checkpoints from './checkpoints';
import entries from './entries';
import exportsController from './exports';
import verification from './verification';

// `exports` is CommonJS's own name: imported under another.
export default { checkpoints, entries, exports: exportsController, verification };
