import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Channel, Rule } from '../../../shared/contracts/crm';
import { audienceQuery } from '../segments/audience';

export { marketingPurpose } from '../segments/audience';

/** Who a segment is (segments/audience.ts), on the app's database. */
const createAudience = ({ strapi }: { strapi: Core.Strapi }) => {
  const dialect = () => (strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite') as 'postgres' | 'sqlite';
  return {
    query(knex: Knex, rules: Rule, options: { channel?: Channel; now?: Date } = {}) {
      return audienceQuery(knex, dialect(), rules, options);
    },

    async count(rules: Rule, options: { channel?: Channel; now?: Date } = {}) {
      const row = await this.query(strapi.db.connection, rules, options).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
};

export type AudienceService = ReturnType<typeof createAudience>;
export default createAudience;
