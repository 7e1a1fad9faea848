import challenge from './challenge';
import factor from './factor';
import recoveryCode from './recovery-code';

export default { factor, 'recovery-code': recoveryCode, challenge };
