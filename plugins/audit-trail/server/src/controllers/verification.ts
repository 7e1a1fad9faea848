import type { Core } from '@strapi/strapi';
import type { VerifyResponse } from '../../../shared/contracts/entries';
import { getService } from '../utils/get-service';

type Ctx = { body: unknown };

const createVerificationController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Walks the whole chain now, as `npm run audit:verify` does; the page's Verify button. */
  async verify(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'ledger').verify() } satisfies VerifyResponse;
  },
});

export default createVerificationController;
