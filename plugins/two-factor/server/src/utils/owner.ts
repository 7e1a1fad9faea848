/** Whose factor: an admin (`admin::user`) or an API user (`plugin::users-permissions.user`), by id. */
export type Owner = { kind: 'admin' | 'user'; id: number };

export const ownerWhere = (owner: Owner) => ({ user_kind: owner.kind, user_id: owner.id });
