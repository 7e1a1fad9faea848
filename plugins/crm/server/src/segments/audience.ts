import type { Knex } from 'knex';
import type { Channel, Rule } from '../../../shared/contracts/crm';
import { FAN, segmentQuery, subjectColumn, type Dialect } from './compile';

/** The purpose whose consent a marketing message on a channel needs. */
export const marketingPurpose = (channel: Channel) => (channel === 'sms' ? 'marketing_sms' : 'marketing_email') as 'marketing_sms' | 'marketing_email';

/**
 * Who a segment is, as one query over the fans: with a channel, only the fans a marketing message
 * may reach on it (a number or address on file, and that channel's marketing consent).
 */
export function audienceQuery(knex: Knex, dialect: Dialect, rules: Rule, { channel, now }: { channel?: Channel; now?: Date } = {}) {
  if (!channel) return segmentQuery(knex, rules, { dialect, now });
  const reachable: Rule = { all: [rules, { field: 'consent', op: 'has', value: { purpose: marketingPurpose(channel), channel } }] };
  return segmentQuery(knex, reachable, { dialect, now }).whereNotNull(subjectColumn(channel)).whereNotNull(`${FAN}.${channel === 'sms' ? 'phone_encrypted' : 'email_encrypted'}`);
}
