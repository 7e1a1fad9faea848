import createError from 'http-errors';

// Strapi's error classes stop at 429; these two speak the voting contract (409 used, 410 closed) in
// the same `{ data: null, error: { status, name, message } }` shape (http-errors 2, as @strapi/utils).
export const conflict = (message: string) => createError(409, message);
export const gone = (message: string) => createError(410, message);
