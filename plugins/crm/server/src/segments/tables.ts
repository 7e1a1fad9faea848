/** The tables a segment reads (the cms's fans and consent ledger, the voting plugin's rows). */
export const TABLES = {
  fans: 'fans',
  consent: 'consent_records',
  attendances: 'sms_voting_attendances',
  votes: 'sms_voting_votes',
  voteTokens: 'sms_voting_vote_tokens',
  inbound: 'sms_voting_inbound_messages',
  messages: 'messages',
  segments: 'crm_segments',
  campaigns: 'crm_campaigns',
  emailSignups: 'crm_email_confirmations',
} as const;
