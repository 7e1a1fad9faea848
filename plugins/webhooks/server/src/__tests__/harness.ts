import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { adminToken, createAdminUser } from '../../../../../cms/test/admin';
import { bootStrapi, http } from '../../../../../cms/test/strapi';
import { startWebhookReceiver, type WebhookReceiver } from '../../../../../scripts/lib/webhook-receiver';
import { handlers } from '../../../../../workers/src/jobs';
import { providersFromEnv } from '../../../../../workers/src/providers';
import { silentLogger } from '../../../../../workers/src/__tests__/pool';
import { strapiRuntime } from '../../../../../workers/src/runtime/app';
import type { SubscriptionWithSecret } from '../../../shared/contracts/webhooks';

const RUN = Date.now().toString(36);
let sequence = 0;
/** A path of its own on the receiver for each subscription, so tests never read one another's deliveries. */
export const nextPath = () => `/hooks/${RUN}-${(sequence += 1)}`;

/**
 * What the webhook tests share: the real app, a super admin's session for the admin API, a local
 * receiver that verifies every delivery with `standardwebhooks`, and the environment the cms and the
 * in-process workers read at each use (the receiver allowlisted, the retry schedule shortened).
 * `restore` puts the environment back and disables the file's subscriptions, so later files'
 * publishes deliver nothing to them.
 */
export async function webhookHarness(env: Record<string, string> = {}) {
  const strapi: Core.Strapi = await bootStrapi();
  const receiver: WebhookReceiver = await startWebhookReceiver();
  const saved = Object.fromEntries(['WEBHOOKS_ALLOW_HOSTS', 'WEBHOOKS_RETRY_SCHEDULE_MS', ...Object.keys(env)].map((name) => [name, process.env[name]]));
  Object.assign(process.env, { WEBHOOKS_ALLOW_HOSTS: receiver.host, WEBHOOKS_RETRY_SCHEDULE_MS: '300,300,300', ...env });
  const admin = await createAdminUser(strapi);
  const auth = { Authorization: `Bearer ${await adminToken(admin)}` };
  const created: number[] = [];
  /** What a webhooks worker gives a job, for running one here (hand-offs left to the sweepers). */
  const jobContext = { app: strapiRuntime(strapi), providers: providersFromEnv({}), logger: silentLogger, handOff: async () => undefined };

  const api = {
    get: async (path: string) => (await http()).get(`/webhooks${path}`).set(auth),
    post: async (path: string, body?: object) => (await http()).post(`/webhooks${path}`).set(auth).send(body ?? {}),
    put: async (path: string, body: object) => (await http()).put(`/webhooks${path}`).set(auth).send(body),
    delete: async (path: string) => (await http()).delete(`/webhooks${path}`).set(auth),
  };

  return {
    strapi,
    receiver,
    api,
    auth,
    jobContext,
    /** A subscription to a receiver path of its own, made through the admin API; the receiver trusts its secret. */
    async subscribe(eventTypes: string[], extra: Record<string, unknown> = {}) {
      const path = nextPath();
      const response = await api.post('/subscriptions', { url: receiver.url(path), eventTypes, ownerEmail: `owner-${crypto.randomBytes(3).toString('hex')}@partner.test`, ...extra });
      if (response.status !== 201) throw new Error(`subscribe: ${response.status} ${JSON.stringify(response.body)}`);
      const { subscription, secret } = response.body.data as SubscriptionWithSecret;
      created.push(subscription.id);
      receiver.trust(path, secret);
      return { ...subscription, secret, path };
    },
    deliveries: (subscriptionId: number) => strapi.db.connection('webhooks_deliveries').where({ subscription_id: subscriptionId }).orderBy('id'),
    /** The webhook events (their `webhook.fanout` jobs) emitted about a document, by its documentId in their bodies. */
    events: (documentId: string) =>
      strapi.db.connection('ops_jobs').where({ name: 'webhook.fanout' }).whereRaw("payload->>'body' LIKE ?", [`%"${documentId}"%`]).select('id', 'payload'),
    /** Fans the events about these documents out to their deliveries here, as the webhooks worker would. */
    async fanOut(...documentIds: string[]) {
      for (const documentId of documentIds) {
        for (const job of await this.events(documentId)) {
          const payload = typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload;
          await handlers['webhook.fanout'](payload, jobContext, { id: job.id, attempts: 1 });
        }
      }
    },
    async restore() {
      if (created.length) await strapi.db.connection('webhooks_subscriptions').whereIn('id', created).update({ active: false });
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await receiver.close();
    },
  };
}

export type WebhookHarness = Awaited<ReturnType<typeof webhookHarness>>;
