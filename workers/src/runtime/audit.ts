import type { Core } from '@strapi/strapi';

/** A fan, by the subject key of their phone number (sms-voting's `subjectKey`), never the number. */
export type AuditIdentity = { kind: 'fan'; id: string };
/** What the first document write of `contentType` inside the scope is recorded as (`consent.opt-out`). */
export type AuditLabel = { action: 'consent.opt-in' | 'consent.opt-out'; contentType: string };

type Actors = {
  runAs<T>(actor: { kind: 'job'; name: string }, task: () => Promise<T>): Promise<T>;
  acting<T>(scope: { identity?: AuditIdentity; label?: AuditLabel }, task: () => Promise<T>): Promise<T>;
};

/** An operation the audit trail records besides document writes (plugins/audit-trail, `ledger.record`). */
export type AuditedOperation = {
  action: 'backup.request' | 'backup.run' | 'backup.restore' | 'round.open' | 'round.close' | 'webhook.disable' | 'crm.fan.reveal' | 'crm.fan.tags' | 'crm.fan.export' | 'crm.fan.erase' | 'crm.export' | 'crm.retention';
  subject: string;
  id: string | null;
  details?: Record<string, unknown>;
  outcome?: 'success' | 'failure';
  error?: { name: string; message: string } | null;
  /** Recorded once however often it is reported (plugins/audit-trail `Operation.once`). */
  once?: boolean;
};

/** Runs a job's handler as that job, so the audit trail records the writes it makes as the job's (plugins/audit-trail). */
export function asJob<T>(strapi: Core.Strapi | undefined, name: string, task: () => Promise<T>): Promise<T> {
  const actors = strapi?.plugin?.('audit-trail')?.service('actors') as Actors | undefined;
  return actors ? actors.runAs({ kind: 'job', name }, task) : task();
}

/** The audit trail's ledger where the plugin is enabled, for operations to record who did them. */
export function auditTrail(strapi: Core.Strapi | undefined): { record(operation: AuditedOperation): Promise<unknown> } | undefined {
  return strapi?.plugin?.('audit-trail')?.service('ledger') as { record(operation: AuditedOperation): Promise<unknown> } | undefined;
}

/**
 * Runs `task` on behalf of a fan and/or with its document write recorded under an action of its own
 * (plugins/audit-trail `actors.acting`); as it is where the plugin is disabled.
 */
export function auditActing<T>(strapi: Core.Strapi | undefined, scope: { identity?: AuditIdentity; label?: AuditLabel }, task: () => Promise<T>): Promise<T> {
  const actors = strapi?.plugin?.('audit-trail')?.service('actors') as Actors | undefined;
  return actors ? actors.acting(scope, task) : task();
}

/** The audit trail's checkpoints and retention services (plugins/audit-trail), as the audit jobs use them. */
type AuditKeeping = {
  checkpoints: { write(options: { reason: 'scheduled'; slot: string }): Promise<{ seq: number; hash: string; keyId: string }> };
  retention: { purge(): Promise<{ purged: number; from: number | null; through: number | null; olderThan: string; batches: number }> };
};

/** A service of the audit trail's, or undefined where the plugin is not enabled. */
export function auditKeeping<K extends keyof AuditKeeping>(strapi: Core.Strapi | undefined, name: K): AuditKeeping[K] | undefined {
  return strapi?.plugin?.('audit-trail')?.service(name) as AuditKeeping[K] | undefined;
}
