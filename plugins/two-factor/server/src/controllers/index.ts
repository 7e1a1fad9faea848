import admin from './admin';
import api from './api';
import team from './team';

export default { admin, api, team };
