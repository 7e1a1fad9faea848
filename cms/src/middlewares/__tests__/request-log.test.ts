import { describe, expect, it } from 'vitest';
import { currentRequestId } from '@ovation/workers/jobs';
import requestLog from '../request-log';

/** The request line and the slow-request line, on the middleware itself (the process test covers the rest). */
describe('request-log', () => {
  const run = async (ms: number, header = '', { httpLevel = true, fail = false } = {}) => {
    const lines: { level: string; message: string; meta: Record<string, unknown> }[] = [];
    const log = (level: string) => (message: string, meta: Record<string, unknown>) => lines.push({ level, message, meta });
    // Like winston: a line below the level is dropped (the middleware asks first and skips the work).
    const strapi = {
      log: { http: (m: string, meta: Record<string, unknown>) => httpLevel && log('http')(m, meta), warn: log('warn'), isLevelEnabled: (level: string) => level !== 'http' || httpLevel },
    } as never;
    const headers: Record<string, string> = {};
    const ctx = {
      method: 'POST',
      url: '/api/sms-voting/tokens/SecretToken123456789?x=1',
      status: 404,
      headerSent: false,
      state: {},
      _matchedRoute: '/api/sms-voting/tokens/:token',
      get: (name: string) => (name.toLowerCase() === 'x-request-id' ? header : ''),
      set: (name: string, value: string) => (headers[name] = value),
    };
    let seen: string | undefined;
    await requestLog({ slowMs: 50 }, { strapi })(ctx, async () => {
      seen = currentRequestId();
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (fail) throw new Error('the handler failed');
      ctx.status = 200;
    });
    return { lines, headers, seen };
  };

  it('writes a slow-request line only past the threshold, with the route pattern and the request id', async () => {
    const fast = await run(0, 'abc-123');
    expect(fast.lines.map((line) => line.level)).toEqual(['http']);
    expect(fast.lines[0].meta).toMatchObject({ requestId: 'abc-123', route: '/api/sms-voting/tokens/:token', status: 200, method: 'POST' });
    expect(fast.headers['X-Request-Id']).toBe('abc-123');
    expect(fast.seen).toBe('abc-123');

    const slow = await run(120);
    expect(slow.lines.map((line) => line.level)).toEqual(['http', 'warn']);
    expect(slow.lines[1].message).toMatch(/^Slow request: POST \/api\/sms-voting\/tokens\/\[redacted\]\?x=1 took \d+ ms \(over 50 ms\)$/);
    expect(slow.lines[1].meta).toMatchObject({ slow: true, requestId: slow.seen });
    expect(JSON.stringify(slow.lines)).not.toContain('SecretToken123456789');
  });

  it('below the http level writes only the slow-request line, and never swallows the handler’s error', async () => {
    expect((await run(0, '', { httpLevel: false })).lines).toEqual([]);
    expect((await run(120, '', { httpLevel: false })).lines.map((line) => line.level)).toEqual(['warn']);
    await expect(run(0, '', { httpLevel: false, fail: true })).rejects.toThrow('the handler failed');
  });
});
