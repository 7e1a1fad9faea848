import sendgridSignature from './sendgrid-signature';
import twilioSignature from './twilio-signature';

export default { 'twilio-signature': twilioSignature, 'sendgrid-signature': sendgridSignature };
