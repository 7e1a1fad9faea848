import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@strapi/strapi';
import { bootStrapi } from '../../../../../cms/test/strapi';
import { createVotingEvent } from './fixtures';

describe('bursts of web votes from one address', () => {
  let strapi: Core.Strapi;
  beforeAll(async () => {
    strapi = await bootStrapi();
  });

  const rowOf = (subject: string) => strapi.db.connection('sms_voting_suspicious_activities').where({ kind: 'vote_burst_ip', subject }).first('count');

  it('are on the review list as soon as they pass 30 a minute, with a count written once a second, not once a vote', async () => {
    const event = await createVotingEvent(strapi);
    const abuse = strapi.plugin('sms-voting').service('abuse');
    const address = '203.0.113.45';
    // All in one counting minute: start clear of its end.
    while (Date.now() % 60_000 > 55_000) await new Promise((resolve) => setTimeout(resolve, 250));

    for (let i = 0; i < 30; i += 1) expect(await abuse.noteWebVote(address, event.eventRef)).toBe(false);
    expect(await rowOf(address)).toBeUndefined();

    expect(await abuse.noteWebVote(address, event.eventRef)).toBe(true);
    expect(Number((await rowOf(address)).count)).toBe(31);

    for (let i = 0; i < 14; i += 1) await abuse.noteWebVote(address, event.eventRef);
    // Fourteen more votes, no write yet: the count follows within a second.
    expect(Number((await rowOf(address)).count)).toBe(31);
    const deadline = Date.now() + 3_000;
    while (Number((await rowOf(address)).count) !== 45 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Number((await rowOf(address)).count)).toBe(45);
  });
});
