import type { Core } from '@strapi/strapi';

type Actors = { runAs<T>(actor: { kind: 'script'; name: string }, task: () => Promise<T>): Promise<T> };

/** Runs `task` as a named script, so the audit trail records its writes as that script's (plugins/audit-trail). */
export function asScript<T>(strapi: Core.Strapi, name: string, task: () => Promise<T>): Promise<T> {
  const actors = strapi.plugin('audit-trail')?.service('actors') as Actors | undefined;
  return actors ? actors.runAs({ kind: 'script', name }, task) : task();
}
