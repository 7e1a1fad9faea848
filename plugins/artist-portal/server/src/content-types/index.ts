import artistAccount from './artist-account';
import invitation from './invitation';
import profileChange from './profile-change';

export default { invitation, 'artist-account': artistAccount, 'profile-change': profileChange };
