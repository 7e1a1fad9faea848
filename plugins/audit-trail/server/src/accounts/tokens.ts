import type { Core } from '@strapi/strapi';
import type { ACTIONS } from '../utils/entry';
import { audited, changedFields, extendService, type AccountChange } from './audited-call';

type Id = string | number;
type TokenRow = { id: Id; name?: string; description?: string | null; type?: string; kind?: string | null; lifespan?: number | string | null; permissions?: { action: string }[] };

type TokenService = {
  create(attributes: object, ...rest: unknown[]): Promise<{ id: Id }>;
  regenerate(id: Id): Promise<unknown>;
  update(id: Id, attributes: object): Promise<unknown>;
  revoke(id: Id): Promise<{ id: Id } | null | undefined>;
};

type Family = { prefix: 'api-token' | 'transfer-token'; uid: 'admin::api-token' | 'admin::transfer-token' };
const API_TOKENS: Family = { prefix: 'api-token', uid: 'admin::api-token' };
const TRANSFER_TOKENS: Family = { prefix: 'transfer-token', uid: 'admin::transfer-token' };

/** A token as its entries show it: name, kind, type, lifespan and permissions; never its value, hash or encrypted copy. */
const tokenOf = (token: TokenRow | null) =>
  token && {
    name: token.name ?? null,
    description: token.description ?? null,
    ...(token.type !== undefined ? { type: token.type } : {}),
    ...(token.kind !== undefined ? { kind: token.kind ?? 'content-api' } : {}),
    lifespan: token.lifespan === null || token.lifespan === undefined ? null : Number(token.lifespan),
    permissions: (token.permissions ?? []).map((permission) => permission.action).sort(),
  };

/** A token service's create, regenerate, update and revoke, each one entry in its own transaction. */
function auditTokens(strapi: Core.Strapi, family: Family, service: TokenService): Partial<TokenService> {
  const find = (id: Id) => strapi.db.query(family.uid).findOne({ where: { id }, populate: ['permissions'] }) as Promise<TokenRow | null>;
  const action = (verb: 'create' | 'regenerate' | 'update' | 'revoke') => `${family.prefix}.${verb}` as (typeof ACTIONS)[number];
  const change = (verb: Parameters<typeof action>[0], id: Id | null, before: unknown, after: unknown): AccountChange => ({
    action: action(verb),
    subject: family.uid,
    id,
    before: before as AccountChange['before'],
    after: after as AccountChange['after'],
  });

  return {
    create: audited(strapi, service.create.bind(service), () => ({
      changes: async (token) => [change('create', token.id, null, tokenOf(await find(token.id)))],
      refused: { action: action('create'), subject: family.uid, id: null },
    })),
    // A new value for the same token: the entry names the token; the value is in no row.
    regenerate: audited(strapi, service.regenerate.bind(service), (id) => ({
      changes: async () => {
        const token = tokenOf(await find(id));
        return [token && change('regenerate', id, null, { name: token.name })];
      },
      refused: { action: action('regenerate'), subject: family.uid, id },
    })),
    update: audited(strapi, service.update.bind(service), (id) => ({
      before: () => find(id),
      changes: async (_result, before: TokenRow | null) => {
        const diff = before && changedFields(tokenOf(before)!, tokenOf(await find(id))!);
        return [diff && change('update', id, diff.before, diff.after)];
      },
      refused: { action: action('update'), subject: family.uid, id },
    })),
    revoke: audited(strapi, service.revoke.bind(service), (id) => ({
      before: () => find(id),
      changes: (deleted, before: TokenRow | null) => [deleted && before ? change('revoke', id, tokenOf(before), null) : null],
      refused: { action: action('revoke'), subject: family.uid, id },
    })),
  };
}

/**
 * The admin's API tokens (content-API and admin kinds: Strapi registers one service object under
 * three names, each wrapped here, and a call goes through one of them) and transfer tokens.
 */
export function recordTokens(strapi: Core.Strapi) {
  for (const uid of ['admin::api-token', 'admin::api-token-content-api', 'admin::api-token-admin']) {
    extendService<TokenService>(strapi, uid, (service) => auditTokens(strapi, API_TOKENS, service));
  }
  extendService<{ token: TokenService }>(strapi, 'admin::transfer', (service) => ({
    token: { ...service.token, ...auditTokens(strapi, TRANSFER_TOKENS, service.token) },
  }));
}
