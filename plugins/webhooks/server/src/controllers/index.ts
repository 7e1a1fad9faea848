import deliveries from './deliveries';
import subscriptions from './subscriptions';

export default { deliveries, subscriptions };
