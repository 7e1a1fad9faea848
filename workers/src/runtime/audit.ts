import type { Core } from '@strapi/strapi';

type Actors = { runAs<T>(actor: { kind: 'job'; name: string }, task: () => Promise<T>): Promise<T> };

/** Runs a job's handler as that job, so the audit trail records the writes it makes as the job's (plugins/audit-trail). */
export function asJob<T>(strapi: Core.Strapi | undefined, name: string, task: () => Promise<T>): Promise<T> {
  const actors = strapi?.plugin?.('audit-trail')?.service('actors') as Actors | undefined;
  return actors ? actors.runAs({ kind: 'job', name }, task) : task();
}
