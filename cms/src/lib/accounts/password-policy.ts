import { dictionary } from '@zxcvbn-ts/language-common';

/** The shortest password an admin or a users-permissions account may have. */
export const MIN_PASSWORD_LENGTH = 12;

// zxcvbn-ts's list of the most common passwords seen in breaches (about 49,000), lower-cased.
let common: Set<string> | undefined;
const commonPasswords = () => (common ??= new Set(dictionary['passwords-common'].map((password) => password.toLowerCase())));

/**
 * Why a password is refused, in words the admin's forms show as they are; undefined when it is
 * accepted. One rule for admins and users-permissions accounts alike, on every path that sets one.
 */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (commonPasswords().has(password.toLowerCase())) return 'This password is one of the most common passwords: choose another one';
  if (new Set(password.toLowerCase()).size < 4) return 'The password repeats too few characters: choose another one';
  return undefined;
}
