import { beforeAll, describe, expect, it } from 'vitest';
import { crmHarness, numbers, type CrmHarness } from './harness';

/** The segment admin API: saved rules, a live count and a masked sample, bad rules refused by name, permissions. */
describe('segments (admin API)', () => {
  let h: CrmHarness;
  let tag: string;
  const phones: string[] = [];
  const count = async () => Number((await h.strapi.db.connection('crm_segments').count({ n: '*' }).first())?.n);

  beforeAll(async () => {
    h = await crmHarness();
    tag = h.tag('segments');
    const marketing = [{ purpose: 'marketing_sms', action: 'opt_in' as const }];
    const fans = [
      { phone: numbers.spain(), language: 'es' as const, tags: [tag, 'vip'], consents: marketing },
      { phone: numbers.newYork(), tags: [tag], consents: marketing },
      { phone: numbers.losAngeles(), tags: [tag, 'vip'], consents: [] },
      { phone: numbers.mexico(), language: 'es' as const, tags: [tag], consents: [...marketing, { purpose: 'all', action: 'opt_out' as const }] },
    ];
    for (const fan of fans) phones.push((await h.fan(fan)).phone);
  });

  it('counts the members of rules being edited, by tags, language, country and consent, combined with AND and OR', async () => {
    const counted = async (rules: object) => {
      const response = await h.api.post('/segments/count', { rules });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.data.count as number;
    };
    expect(await counted(h.byTag(tag))).toBe(4);
    expect(await counted({ all: [h.byTag(tag), { field: 'language', op: 'in', value: ['es'] }] })).toBe(2);
    expect(await counted({ all: [h.byTag(tag), { field: 'country', op: 'in', value: ['US'] }] })).toBe(2);
    expect(await counted({ all: [h.byTag(tag), { field: 'country', op: 'in', value: ['ES', 'MX'] }] })).toBe(2);
    expect(await counted({ all: [h.byTag(tag), { field: 'consent', op: 'has', value: { purpose: 'marketing_sms', channel: 'sms' } }] })).toBe(2);
    expect(await counted({ all: [h.byTag(tag), { any: [{ field: 'tags', op: 'any', value: ['vip'] }, { field: 'country', op: 'in', value: ['MX'] }] }] })).toBe(3);
  });

  it('shows a sample of members with their numbers masked', async () => {
    const response = await h.api.post('/segments/sample', { rules: h.byTag(tag) });
    expect(response.status).toBe(200);
    const members = response.body.data.members as { phone: string; country: string }[];
    expect(members).toHaveLength(4);
    const text = JSON.stringify(response.body);
    for (const phone of phones) {
      expect(text).not.toContain(phone);
      expect(text).not.toContain(phone.slice(3, -2));
    }
    expect(members.map((member) => member.phone)).toContain(`${phones[0].slice(0, 3)}***${phones[0].slice(-2)}`);
    expect(members.map((member) => member.country).sort()).toEqual(['ES', 'MX', 'US', 'US']);
  });

  it('saves, edits, lists and removes a segment', async () => {
    const created = await h.api.post('/segments', { name: 'Spanish speakers', rules: { all: [h.byTag(tag), { field: 'language', op: 'in', value: ['es'] }] } });
    expect(created.status).toBe(201);
    const id = created.body.data.id as number;
    const edited = await h.api.put(`/segments/${id}`, { name: 'Spanish speakers (all)' });
    expect(edited.body.data).toMatchObject({ name: 'Spanish speakers (all)', rules: { all: [h.byTag(tag), { field: 'language', op: 'in', value: ['es'] }] } });
    expect((await h.api.get('/segments')).body.data.map((segment: { id: number }) => segment.id)).toContain(id);
    expect((await h.api.delete(`/segments/${id}`)).status).toBe(200);
    expect((await h.api.get(`/segments/${id}`)).status).toBe(404);
  });

  it('refuses an unknown field or operator with a 400 naming it, and saves nothing', async () => {
    const before = await count();
    const field = await h.api.post('/segments', { name: 'Bad', rules: { all: [h.byTag(tag), { field: 'shoe_size', op: 'in', value: [42] }] } });
    expect(field.status).toBe(400);
    expect(field.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(field.body.error.message).toContain('unknown field "shoe_size"');
    expect(field.body.error.details.errors[0].path).toEqual(['rules', 'all', '1', 'field']);

    const op = await h.api.post('/segments/count', { rules: { field: 'language', op: 'like', value: ['en'] } });
    expect(op.status).toBe(400);
    expect(op.body.error.message).toContain('unknown operator "like" for language');
    expect(op.body.error.details.errors[0].path).toEqual(['rules', 'op']);

    expect((await h.api.post('/segments', { name: 'Bad', rules: { field: 'consent', op: 'has', value: { purpose: 'spam', channel: 'sms' } } })).status).toBe(400);
    expect((await h.api.post('/segments', { name: 'Bad', rules: h.byTag(tag), sql: 'DROP TABLE fans' })).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('is the Marketing role’s: an Editor gets 403, a signed-out caller 401', async () => {
    const editor = await h.session(h.ROLES.editor);
    expect((await h.apiAs(editor.auth).post('/segments/count', { rules: h.byTag(tag) })).status).toBe(403);
    expect((await h.apiAs({}).post('/segments/count', { rules: h.byTag(tag) })).status).toBe(401);
  });
});
