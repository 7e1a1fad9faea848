import twilioSignature from './twilio-signature';

export default { 'twilio-signature': twilioSignature };
