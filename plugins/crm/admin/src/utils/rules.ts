import type { Condition, Field, Rule } from '../api';

/** One editable row of the segment builder: a field, an operator and the value as typed. */
export type DraftCondition = { field: Field; op: string; text: string };

/** The operators of each field, as the server knows them (server/src/segments/rules.ts checks them). */
export const OPERATORS: Record<Field, string[]> = {
  tags: ['any', 'all', 'none'],
  language: ['in', 'not_in'],
  country: ['in', 'not_in'],
  attended: ['any', 'none'],
  voted: ['in_event', 'in_round'],
  joined: ['between'],
  last_activity: ['within_days', 'not_within_days'],
  consent: ['has', 'lacks'],
};
export const FIELDS = Object.keys(OPERATORS) as Field[];

const list = (text: string) => text.split(',').map((part) => part.trim()).filter(Boolean);

/**
 * The value the server expects, read from what was typed: lists comma-separated, a day count, a date
 * range as `from..to`, consent as `purpose/channel`. The server validates it and names what is wrong.
 */
export function valueOf(field: Field, text: string): unknown {
  switch (field) {
    case 'voted':
      return text.trim();
    case 'last_activity':
      return Number(text);
    case 'joined': {
      const [from, to] = text.split('..').map((part) => part.trim());
      return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
    }
    case 'consent': {
      const [purpose, channel] = text.split('/').map((part) => part.trim());
      return { purpose, channel };
    }
    case 'country':
      return list(text).map((code) => code.toUpperCase());
    default:
      return list(text);
  }
}

/** The builder's rows as a rule tree: all of them (AND) or any of them (OR). */
export const toRules = (rows: DraftCondition[], combine: 'all' | 'any'): Rule =>
  ({ [combine]: rows.map((row) => ({ field: row.field, op: row.op, value: valueOf(row.field, row.text) }) as Condition) }) as Rule;
