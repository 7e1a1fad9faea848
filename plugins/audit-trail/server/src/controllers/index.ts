import entries from './entries';

export default { entries };
