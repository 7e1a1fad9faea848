import admin from './admin';
import api from './api';

export default { admin, api };
