import type { Core } from '@strapi/strapi';
import { CLICKS_TABLE, LINKS_TABLE } from '../tracking/schema';
import { SHORT_CODE } from '../tracking/short-links';

/**
 * Following a short link: the code names the URL stored with the fan's message when the campaign was
 * fanned out (nothing in the request chooses where it goes), and each click is recorded with its
 * time, message and campaign, and nothing about who clicked.
 */
const createShortLinks = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The URL to send the fan to, the click recorded; null for a code that is not one. */
  async follow(code: string, now = new Date()): Promise<string | null> {
    if (!SHORT_CODE.test(code)) return null;
    return strapi.db.transaction(async ({ trx }) => {
      const link = (await trx(LINKS_TABLE).where({ code }).first('code', 'url', 'message_id', 'campaign_id')) as
        | { code: string; url: string; message_id: number; campaign_id: number }
        | undefined;
      if (!link) return null;
      await trx(CLICKS_TABLE).insert({ code: link.code, message_id: link.message_id, campaign_id: link.campaign_id, clicked_at: now });
      return link.url;
    });
  },
});

export type ShortLinksService = ReturnType<typeof createShortLinks>;
export default createShortLinks;
