import { factories } from '@strapi/strapi';
import { attachProgramme, splitProgramme } from '../../../lib/programme';

type Params = { populate?: unknown; status?: string };
type Event = Record<string, unknown> & { documentId: string };

/**
 * The content API's events. Their rounds and lineup are read by the event's document id, so every
 * language of an event has them (lib/programme.ts says why Strapi's own populate cannot).
 */
export default factories.createCoreService('api::event.event', ({ strapi }) => {
  const read = async <T>(params: Params, fetch: (params: Params) => Promise<T>, eventsOf: (result: T) => Event[]) => {
    const { populate, asked } = splitProgramme(strapi, params.populate);
    const result = await fetch({ ...params, populate });
    await attachProgramme(strapi, eventsOf(result), asked, params.status === 'draft' ? 'draft' : 'published');
    return result;
  };

  return {
    async find(params: Params = {}) {
      return read(params, (rest) => super.find(rest as never), (result) => (result as { results: Event[] }).results);
    },

    async findOne(documentId: string, params: Params = {}) {
      return read(params, (rest) => super.findOne(documentId, rest as never), (event) => (event ? [event as unknown as Event] : []));
    },
  };
});
