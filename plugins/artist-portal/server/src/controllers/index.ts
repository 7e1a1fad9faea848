import admin from './admin';
import artist from './artist';

export default { admin, artist };
