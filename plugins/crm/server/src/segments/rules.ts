import { z } from 'zod';
import { CONSENT_PURPOSES, type Condition, type Field, type Rule } from '../../../shared/contracts/crm';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../../../shared/contracts/privacy';

/** One problem with a rule tree, at its place in it (`rules.all.1.op`). */
export type RuleIssue = { path: string[]; message: string };

const DEPTH = 5;
const WIDTH = 50;
const ids = z.array(z.string().trim().min(1).max(64)).min(1).max(200);
const day = z.string().datetime({ offset: true }).or(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD) or an ISO-8601 time'));

/** Every field a condition may name, each with its operators and the shape of its value. */
const FIELDS: { [F in Field]: { ops: readonly string[]; value: z.ZodTypeAny } } = {
  tags: { ops: ['any', 'all', 'none'], value: z.array(z.string().trim().min(1).max(MAX_TAG_LENGTH)).min(1).max(MAX_TAGS) },
  language: { ops: ['in', 'not_in'], value: z.array(z.enum(['en', 'es'])).min(1) },
  country: { ops: ['in', 'not_in'], value: z.array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as US or ES')).min(1).max(250) },
  attended: { ops: ['any', 'none'], value: ids },
  voted: { ops: ['in_event', 'in_round'], value: z.string().trim().min(1).max(64) },
  joined: {
    ops: ['between'],
    value: z
      .object({ from: day.optional(), to: day.optional() })
      .strict()
      .refine((range) => range.from || range.to, 'give from, to or both'),
  },
  last_activity: { ops: ['within_days', 'not_within_days'], value: z.number().int().min(1).max(3650) },
  consent: { ops: ['has', 'lacks'], value: z.object({ purpose: z.enum(CONSENT_PURPOSES), channel: z.enum(['sms', 'email']) }).strict() },
};
export const SEGMENT_FIELDS = Object.keys(FIELDS) as Field[];
export const operatorsOf = (field: Field) => FIELDS[field].ops;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a rule tree from untrusted input. Every problem is reported with its path, and an unknown
 * field or operator by its name, so the admin can point at the condition that is wrong.
 */
export function parseRules(input: unknown): { rules: Rule } | { issues: RuleIssue[] } {
  const issues: RuleIssue[] = [];
  const walk = (node: unknown, path: string[], depth: number): Rule | undefined => {
    if (!isObject(node)) return void issues.push({ path, message: 'a rule is an object: { all: [...] }, { any: [...] } or { field, op, value }' });
    if ('all' in node || 'any' in node) {
      const key = 'all' in node ? 'all' : 'any';
      const extra = Object.keys(node).filter((name) => name !== key);
      if (extra.length) return void issues.push({ path, message: `unexpected ${extra.map((name) => `"${name}"`).join(', ')} beside "${key}"` });
      if (depth >= DEPTH) return void issues.push({ path, message: `groups nest at most ${DEPTH} deep` });
      const children = node[key];
      if (!Array.isArray(children) || children.length === 0 || children.length > WIDTH) {
        return void issues.push({ path: [...path, key], message: `a list of 1 to ${WIDTH} rules` });
      }
      const parsed = children.map((child, index) => walk(child, [...path, key, String(index)], depth + 1));
      return { [key]: parsed } as Rule;
    }
    const { field, op, value, ...rest } = node;
    if (typeof field !== 'string' || !(field in FIELDS)) {
      return void issues.push({ path: [...path, 'field'], message: `unknown field ${JSON.stringify(field)} (known: ${SEGMENT_FIELDS.join(', ')})` });
    }
    const spec = FIELDS[field as Field];
    if (typeof op !== 'string' || !spec.ops.includes(op)) {
      return void issues.push({ path: [...path, 'op'], message: `unknown operator ${JSON.stringify(op)} for ${field} (known: ${spec.ops.join(', ')})` });
    }
    if (Object.keys(rest).length) return void issues.push({ path, message: `unexpected ${Object.keys(rest).map((name) => `"${name}"`).join(', ')}` });
    const checked = spec.value.safeParse(value);
    if (!checked.success) {
      for (const issue of checked.error.issues) issues.push({ path: [...path, 'value', ...issue.path.map(String)], message: issue.message });
      return undefined;
    }
    return { field, op, value: checked.data } as Condition;
  };
  const rules = walk(input, [], 0);
  return issues.length || !rules ? { issues } : { rules };
}
