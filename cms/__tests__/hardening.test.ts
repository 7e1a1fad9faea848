/** What an outside attacker probing the cms over HTTP finds: no fingerprint, and bad input refused with a 400. */
import { beforeAll, describe, expect, it } from 'vitest';
import { bootStrapi, http } from '../test/strapi';

const onPostgres = Boolean(process.env.DATABASE_URL);

describe('the cms against an outside attacker', () => {
  beforeAll(async () => {
    await bootStrapi();
  });

  it('does not say what it runs on (no X-Powered-By)', async () => {
    for (const path of ['/api/events', '/_health', '/api/nothing-here']) {
      const res = await (await http()).get(path);
      expect(res.headers, path).not.toHaveProperty('x-powered-by');
    }
  });

  it('answers a filter value that is not a number with 400, not a 500', async () => {
    const res = await (await http()).get('/api/events').query({ 'filters[id][$gt]': '0 UNION SELECT 1' });
    if (onPostgres) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    } else {
      // SQLite compares the text with the integer column and finds nothing.
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    }
  });
});
