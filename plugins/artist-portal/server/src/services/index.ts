import claims from './claims';
import dashboard from './dashboard';
import invitations from './invitations';
import profiles from './profiles';

export default { claims, dashboard, invitations, profiles };
