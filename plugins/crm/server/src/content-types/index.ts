import campaign from './campaign';
import emailConfirmation from './email-confirmation';
import segment from './segment';

export default { segment, campaign, 'email-confirmation': emailConfirmation };
