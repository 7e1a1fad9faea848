import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Channel, Rule } from '../../../shared/contracts/crm';
import { FAN, segmentQuery, subjectColumn } from '../segments/compile';

/** The purpose whose consent a marketing message on a channel needs. */
export const marketingPurpose = (channel: Channel) => (channel === 'sms' ? 'marketing_sms' : 'marketing_email') as 'marketing_sms' | 'marketing_email';

/**
 * Who a segment is, as one query over the fans: with a channel, only the fans a marketing message
 * may reach on it (a number or address on file, and that channel's marketing consent).
 */
const createAudience = ({ strapi }: { strapi: Core.Strapi }) => {
  const dialect = () => (strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite') as 'postgres' | 'sqlite';
  return {
    query(knex: Knex, rules: Rule, { channel, now }: { channel?: Channel; now?: Date } = {}) {
      if (!channel) return segmentQuery(knex, rules, { dialect: dialect(), now });
      const reachable: Rule = { all: [rules, { field: 'consent', op: 'has', value: { purpose: marketingPurpose(channel), channel } }] };
      return segmentQuery(knex, reachable, { dialect: dialect(), now }).whereNotNull(subjectColumn(channel)).whereNotNull(`${FAN}.${channel === 'sms' ? 'phone_encrypted' : 'email_encrypted'}`);
    },

    async count(rules: Rule, options: { channel?: Channel; now?: Date } = {}) {
      const row = await this.query(strapi.db.connection, rules, options).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
};

export type AudienceService = ReturnType<typeof createAudience>;
export default createAudience;
