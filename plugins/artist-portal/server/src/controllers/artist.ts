import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ClaimPreview, ClaimResult, Dashboard, MyProfile } from '../../../shared/contracts';
import { dashboardCsv } from '../services/dashboard';
import { getService } from '../utils/get-service';
import { ClaimBody, ProfileBody } from '../routes/schemas';
import { parse, profileInput } from '../utils/validation';

type Ctx = {
  params: Record<string, string>;
  request: { body?: unknown; files?: Record<string, unknown> };
  state: { user?: { id: number } };
  body: unknown;
  type: string;
  set(name: string, value: string): void;
};

type UploadedFile = { filepath: string; size: number };
const singleFile = (value: unknown): UploadedFile | null => {
  const file = Array.isArray(value) ? (value.length === 1 ? value[0] : null) : value;
  return file && typeof file === 'object' && 'filepath' in file ? (file as UploadedFile) : null;
};

/** The site's artist area: claiming a link (open), then the signed-in artist's own profile and results. */
const artist = ({ strapi }: { strapi: Core.Strapi }) => {
  const mine = (ctx: Ctx) => getService(strapi, 'claims').artistOf(ctx.state.user?.id);
  return {
    async previewClaim(ctx: Ctx) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: (await getService(strapi, 'claims').preview(ctx.params.token)) satisfies ClaimPreview };
    },

    async claim(ctx: Ctx) {
      const body = parse(ClaimBody, ctx.request.body);
      ctx.body = { data: (await getService(strapi, 'claims').claim(ctx.params.token, body)) satisfies ClaimResult };
    },

    async me(ctx: Ctx) {
      ctx.body = { data: (await getService(strapi, 'profiles').mine(await mine(ctx))) satisfies MyProfile };
    },

    async updateProfile(ctx: Ctx) {
      const artistRef = await mine(ctx);
      const body = profileInput(parse(ProfileBody, ctx.request.body));
      ctx.body = { data: (await getService(strapi, 'profiles').propose(artistRef, ctx.state.user!.id, body)) satisfies MyProfile };
    },

    async uploadAvatar(ctx: Ctx) {
      const artistRef = await mine(ctx);
      const files = ctx.request.files ?? {};
      const file = singleFile(files.avatar);
      if (!file || Object.keys(files).length !== 1) throw new errors.ValidationError('avatar: send one picture in the field "avatar"');
      ctx.body = { data: (await getService(strapi, 'profiles').proposeAvatar(artistRef, ctx.state.user!.id, file)) satisfies MyProfile };
    },

    async dashboard(ctx: Ctx) {
      ctx.body = { data: (await getService(strapi, 'dashboard').of(await mine(ctx))) satisfies Dashboard };
    },

    async dashboardCsv(ctx: Ctx) {
      const dashboard = await getService(strapi, 'dashboard').of(await mine(ctx));
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="${dashboard.artist.slug}-results.csv"`);
      ctx.body = dashboardCsv(dashboard);
    },
  };
};

export default artist;
