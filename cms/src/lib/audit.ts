import type { Core } from '@strapi/strapi';

type Actors = { runAs<T>(actor: { kind: 'script'; name: string }, task: () => Promise<T>): Promise<T> };

/** Runs `task` as a named script, so the audit trail records its writes as that script's (plugins/audit-trail). */
export function asScript<T>(strapi: Core.Strapi, name: string, task: () => Promise<T>): Promise<T> {
  const actors = strapi.plugin('audit-trail')?.service('actors') as Actors | undefined;
  return actors ? actors.runAs({ kind: 'script', name }, task) : task();
}

type Ledger = { record(operation: { action: string; subject: string; id: string | null; details?: Record<string, unknown> }): Promise<unknown> };

/** Records an operation that is not a document write on the audit trail, by whoever is acting now (nothing when the trail is off). */
export async function recordOperation(strapi: Core.Strapi, operation: Parameters<Ledger['record']>[0]) {
  const ledger = strapi.plugin('audit-trail')?.service('ledger') as Ledger | undefined;
  await ledger?.record(operation);
}
