import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { APPEND_ONLY_MESSAGE, CONSTRAINT_FIELDS } from '../lib/constraints';

type DriverError = { code?: string; constraint?: string; message?: string };

const uniqueError = (field: string) =>
  new errors.ValidationError('This attribute must be unique', {
    errors: [{ path: [field], message: 'This attribute must be unique', name: 'ValidationError' }],
  });

/** Which field a unique or exclusion violation is about, from PostgreSQL's or SQLite's error. */
function violatedField(error: DriverError): string | undefined {
  if ((error.code === '23505' || error.code === '23P01') && error.constraint) {
    return CONSTRAINT_FIELDS[error.constraint] ?? error.constraint;
  }
  if (error.code === 'SQLITE_CONSTRAINT_TRIGGER') {
    const name = /ovation_unique:(\w+)/.exec(error.message ?? '')?.[1];
    return name && CONSTRAINT_FIELDS[name];
  }
  if (error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
    // "UNIQUE constraint failed: lineup_entries.event_ref, lineup_entries.vote_code": the last column speaks.
    const columns = /failed: (.*)$/.exec(error.message ?? '')?.[1]?.split(', ') ?? [];
    const last = columns.at(-1)?.split('.').at(-1);
    return last?.replace(/_ref$/, '');
  }
  return undefined;
}

/**
 * PostgreSQL's data exceptions (class 22: a filter value that is not a number, a date out of range, a
 * NUL in text) are the request's fault, not the server's. SQLite compares such values without complaint.
 */
const isDataException = (error: DriverError) => typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code);

/**
 * The database is the last line for the platform's invariants; when it refuses a write, the client
 * gets Strapi's 400/403 error shape naming the field, not a 500.
 */
const databaseErrors = (_config: unknown, _ctx: { strapi: Core.Strapi }) => {
  return async (_ctx: unknown, next: () => Promise<void>) => {
    try {
      await next();
    } catch (caught) {
      const error = caught as DriverError;
      const field = violatedField(error);
      if (field) throw uniqueError(field);
      if (error.message?.includes(APPEND_ONLY_MESSAGE)) {
        throw new errors.ForbiddenError('Consent records are append-only: they are never updated or deleted');
      }
      if (isDataException(error)) {
        throw new errors.ValidationError('A value in the request does not fit its field (a number, a date or text)');
      }
      throw caught;
    }
  };
};

export default databaseErrors;
