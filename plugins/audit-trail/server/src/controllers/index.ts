import checkpoints from './checkpoints';
import entries from './entries';
import exportsController from './exports';

// `exports` is CommonJS's own name: imported under another.
export default { checkpoints, entries, exports: exportsController };
