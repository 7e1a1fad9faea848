import fromSite from './from-site';
import twilioSignature from './twilio-signature';

export default { 'from-site': fromSite, 'twilio-signature': twilioSignature };
