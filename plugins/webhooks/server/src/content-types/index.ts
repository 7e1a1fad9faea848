import delivery from './delivery';
import subscription from './subscription';

export default { subscription, delivery };
