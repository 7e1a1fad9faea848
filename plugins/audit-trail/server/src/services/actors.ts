import { AsyncLocalStorage } from 'async_hooks';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { systemActor, type SystemActor } from '../chain';
import type { Actor } from '../utils/entry';

export type { SystemActor };

/**
 * Someone the request does not name by its session or token: an account signing in (not yet in a
 * session), a fan known by the subject key of their phone number (never the number).
 */
export type Identity = { kind: 'admin' | 'user' | 'fan'; id: string; name?: string | null };

/** What a document write inside `acting` is recorded as: its first write of `contentType` takes `action`. */
export type Labelled = { action: string; contentType: string };

type Acting = { identity?: Identity; label?: Labelled & { claimed: boolean } };

type RequestState = {
  auth?: { strategy?: { name?: string }; credentials?: { id?: number | string; name?: string } };
  user?: { id?: number | string; firstname?: string | null; lastname?: string | null; username?: string | null };
  route?: { info?: { type?: string } };
};

type RequestContext = {
  path: string;
  ip?: string;
  state?: RequestState;
  get(header: string): string;
};

const TOKEN_STRATEGIES = ['api-token', 'content-api-token'];

const createActors = ({ strapi }: { strapi: Core.Strapi }) => {
  const system = new AsyncLocalStorage<SystemActor>();
  const acting = new AsyncLocalStorage<Acting>();
  const graphqlPath = () => (strapi.config.get('plugin::graphql.endpoint') as string | undefined) ?? '/graphql';

  function fromRequest(ctx: RequestContext): Actor {
    const state = ctx.state ?? {};
    const strategy = state.auth?.strategy?.name;
    const credentials = state.auth?.credentials;
    const where = {
      ip: ctx.ip ?? null,
      userAgent: ctx.get('user-agent') || null,
      requestId: ctx.get('x-request-id') || null,
    };
    const origin = ctx.path === graphqlPath() ? 'graphql' : state.route?.info?.type === 'admin' || strategy === 'admin' ? 'admin' : 'content-api';
    if (strategy === 'admin' && state.user) {
      const display = [state.user.firstname, state.user.lastname].filter(Boolean).join(' ') || state.user.username || null;
      return { kind: 'admin', id: String(state.user.id), name: display, origin, ...where };
    }
    if (strategy && TOKEN_STRATEGIES.includes(strategy) && credentials) {
      return { kind: 'api-token', id: String(credentials.id), name: credentials.name ?? null, origin, ...where };
    }
    if (strategy === 'users-permissions' && credentials) {
      // The account's id only: usernames are often emails.
      return { kind: 'user', id: String(credentials.id), name: null, origin, ...where };
    }
    return { kind: 'public', id: null, name: null, origin, ...where };
  }

  function fromProcess(): Actor {
    return systemActor(system.getStore() ?? { kind: 'script', name: process.env.AUDIT_ACTOR || path.basename(process.argv[1] ?? 'node') });
  }

  return {
    /**
     * Who is acting now: the request being served, else the job or script this code runs for; the
     * identity `acting` (or the caller) names instead, keeping where the request came from.
     */
    current(identity: Identity | undefined = acting.getStore()?.identity): Actor {
      const ctx = strapi.requestContext.get() as RequestContext | undefined;
      const actor = ctx?.get ? fromRequest(ctx) : fromProcess();
      return identity ? { ...actor, kind: identity.kind, id: identity.id, name: identity.name ?? null } : actor;
    },

    /**
     * Runs `task` on behalf of `identity` (a fan texting STOP), and/or with its first document write
     * of `label.contentType` recorded as `label.action` (a consent record created is `consent.opt-out`):
     * one entry for one change, in the change's own transaction.
     */
    acting<T>(scope: { identity?: Identity; label?: Labelled }, task: () => Promise<T>): Promise<T> {
      const outer = acting.getStore();
      return acting.run(
        {
          identity: scope.identity ?? outer?.identity,
          label: scope.label ? { ...scope.label, claimed: false } : outer?.label,
        },
        task
      );
    },

    /** The action a document write is recorded as: `acting`'s label for its first write of that type, else its own. */
    actionOf(contentType: string, action: string): string {
      const label = acting.getStore()?.label;
      if (!label || label.claimed || label.contentType !== contentType) return action;
      label.claimed = true;
      return label.action;
    },

    /** Runs `task` on behalf of a job or script, so the writes it makes are recorded as theirs. */
    runAs<T>(actor: SystemActor, task: () => Promise<T>): Promise<T> {
      return system.run(actor, task);
    },
  };
};

export type ActorsService = ReturnType<typeof createActors>;
export default createActors;
