/** What an outside attacker probing the cms over HTTP finds: no fingerprint, and bad input refused with a 400. */
import { beforeAll, describe, expect, it } from 'vitest';
import { bootStrapi, http } from '../test/strapi';

const onPostgres = Boolean(process.env.DATABASE_URL);

describe('the cms against an outside attacker', () => {
  beforeAll(async () => {
    await bootStrapi();
  });

  it('never writes a voting token or a secret from a URL to its request log', async () => {
    const app = await bootStrapi();
    const lines: string[] = [];
    // At a level that writes request lines (the test run's level does not, and the line is then not built).
    const log = app.log as typeof app.log & { isLevelEnabled(level: string): boolean };
    const original = { http: log.http, isLevelEnabled: log.isLevelEnabled };
    log.http = ((line: string) => void lines.push(line)) as typeof app.log.http;
    log.isLevelEnabled = (level: string) => level === 'http' || original.isLevelEnabled.call(log, level);
    try {
      await (await http()).get('/api/sms-voting/tokens/Zq3TokenThatVotes_0123456');
      await (await http()).get('/api/auth/email-confirmation?confirmation=ConfirmSecret987');
    } finally {
      Object.assign(log, original);
    }
    expect(lines.some((line) => line.includes('/api/sms-voting/tokens/[redacted]'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/Zq3TokenThatVotes|ConfirmSecret987/);
  });

  it('does not say what it runs on (no X-Powered-By)', async () => {
    for (const path of ['/api/events', '/_health', '/api/nothing-here']) {
      const res = await (await http()).get(path);
      expect(res.headers, path).not.toHaveProperty('x-powered-by');
    }
  });

  const graphql = async (query: string) => {
    const started = Date.now();
    const res = await (await http()).post('/graphql').send({ query });
    return { res, ms: Date.now() - started };
  };

  it('refuses a GraphQL alias bomb with a 400 that says why, in well under 100 ms', async () => {
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `e${i}: events { title slug description }`).join(' ')} }`;
    // The attack as found: a thousand aliases (over the size limit too).
    const bomb = await graphql(aliases(1000));
    expect(bomb.res.status).toBe(400);
    expect(bomb.res.body.error.name).toBe('ValidationError');
    expect(bomb.ms).toBeLessThan(100);
    // Within the size limit, the aliases themselves are counted.
    const small = await graphql(aliases(200));
    expect(small.res.status).toBe(400);
    expect(small.res.body.error.message).toMatch(/200 aliases; at most 20 are answered/);
    expect(small.ms).toBeLessThan(100);
    expect(small.res.body.data).toBeNull();
  });

  it('refuses a GraphQL query whose nested lists would cost too much, and answers an ordinary one', async () => {
    const nested = '{ events(pagination: { limit: 100 }) { title rounds(pagination: { limit: 100 }) { title event { lineup(pagination: { limit: 100 }) { vote_code } } } } }';
    const refused = await graphql(nested);
    expect(refused.res.status).toBe(400);
    expect(refused.res.body.errors[0].message).toMatch(/may cost \d+ .*at most 20000/);

    const ordinary = await graphql('{ events { title slug rounds { number title state } lineup { vote_code artist { name genre } } } }');
    expect(ordinary.res.status).toBe(200);
    expect(ordinary.res.body.errors).toBeUndefined();
  });

  it('answers GraphQL fragment cycles with 400, not a 500', async () => {
    for (const cycle of [
      'query { events { ...A } } fragment A on Event { ...A }',
      'query { events { ...A } } fragment A on Event { rounds { event { ...B } } } fragment B on Event { ...A }',
    ]) {
      const { res } = await graphql(cycle);
      expect(res.status, cycle).toBe(400);
      expect(res.body.error.message, cycle).toMatch(/Cannot spread fragment "[AB]" within itself/);
    }
  });

  it('refuses a GraphQL query over the size limit with a 400', async () => {
    const { res } = await graphql(`{ events { title } } # ${'x'.repeat(25_000)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/at most 20000 are answered/);
  });

  it('refuses a GraphQL body over its limit with 413 before reading it all', async () => {
    const res = await (await http()).post('/graphql').set('content-type', 'application/json').send(JSON.stringify({ query: '{ events { title } }', variables: { pad: 'x'.repeat(200_000) } }));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ status: 413 });
  });

  it('answers a small batch of GraphQL operations, each screened and validated, and refuses a larger one', async () => {
    const post = async (body: unknown) => (await http()).post('/graphql').set('content-type', 'application/json').send(JSON.stringify(body));
    const batch = await post([{ query: '{ events { slug } }' }, { query: '{ artists { slug } }' }]);
    expect(batch.status).toBe(200);
    expect(batch.body).toHaveLength(2);
    expect(batch.body[0].data.events).toEqual(expect.any(Array));
    expect(batch.body[1].data.artists).toEqual(expect.any(Array));

    const tooMany = await post(Array.from({ length: 6 }, () => ({ query: '{ events { slug } }' })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ status: 400, name: 'ValidationError', message: 'A batch may hold at most 5 operations; this one has 6' });
    // An alias bomb hidden in a batch is refused like one alone.
    const hidden = await post([{ query: '{ events { slug } }' }, { query: `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: events { slug }`).join(' ')} }` }]);
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.message).toMatch(/alias/i);
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
