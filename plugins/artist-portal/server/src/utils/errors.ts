import createError from 'http-errors';

// Strapi's error classes stop at 429 and have no 409, 410 or 415; these speak those statuses in the
// same `{ data: null, error: { status, name, message } }` shape (http-errors 2, as @strapi/utils).
export const conflict = (message: string) => createError(409, message);
export const gone = (message: string) => createError(410, message);
export const unsupportedMedia = (message: string) => createError(415, message);
