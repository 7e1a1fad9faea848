import campaigns from './campaigns';
import email from './email';
import segments from './segments';

export default { campaigns, email, segments };
