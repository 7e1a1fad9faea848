import deliveries from './deliveries';
import events from './events';
import subscriptions from './subscriptions';

export default { deliveries, events, subscriptions };
