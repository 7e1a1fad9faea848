import createClient from 'openapi-fetch';
import type { paths } from './api';

/**
 * A partner's client for Ovation, typed by the OpenAPI document the cms serves
 * (`npm run generate` writes src/api.d.ts from it): every path, parameter and answer below is
 * checked by the compiler against Ovation's published contract.
 */
/** Strapi's largest page by default (`api.rest.maxLimit`). */
const PAGE_SIZE = 100;

export function createOvationClient({ cmsUrl, token }: { cmsUrl: string; token: string }) {
  const api = createClient<paths>({ baseUrl: `${cmsUrl.replace(/\/$/, '')}/api`, headers: { Authorization: `Bearer ${token}` } });

  return {
    /** Every published event, soonest first, in a locale (en or es): every page the answer's pagination counts. */
    async events(locale: 'en' | 'es' = 'en') {
      const events = [];
      for (let page = 1; ; page += 1) {
        const { data, error, response } = await api.GET('/events', {
          params: { query: { locale, sort: 'starts_at', 'pagination[page]': page, 'pagination[pageSize]': PAGE_SIZE } },
        });
        if (!data) throw new OvationError(response, error);
        events.push(...data.data.map((event) => ({ slug: event.slug, title: event.title, startsAt: event.starts_at, phase: event.phase })));
        const { pagination } = data.meta;
        if (!('pageCount' in pagination) || page >= pagination.pageCount) return events;
      }
    },

    /** Attendance and votes per round, per act and per minute (the token needs "Partner › stats"). */
    async eventStats(slug: string) {
      const { data, error, response } = await api.GET('/partner/v1/events/{slug}/stats', { params: { path: { slug } } });
      if (!data) throw new OvationError(response, error);
      return data.data;
    },
  };
}

/** An answer other than 2xx, with Strapi's error message and, on a 429, when to try again. */
export class OvationError extends Error {
  readonly status: number;
  readonly retryAfterSeconds: number | null;
  constructor(response: Response, body: unknown) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? response.statusText;
    super(`Ovation answered ${response.status}: ${message}`);
    this.name = 'OvationError';
    this.status = response.status;
    const retryAfter = response.headers.get('Retry-After');
    this.retryAfterSeconds = retryAfter === null ? null : Number(retryAfter);
  }
}
