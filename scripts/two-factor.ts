/**
 * `npm run two-factor -- reset <email> [--user]`: turns off the two-factor sign-in of the admin with
 * that email (of the users-permissions user with `--user`): its authenticator and recovery codes are
 * removed, and it signs in with its password alone until it enrols again. For a sole admin who lost
 * their phone and their recovery codes; recorded in the audit trail as `two-factor.reset` by the
 * script. Any other admin is reset by a super admin in the admin instead.
 */
import { parseArgs } from 'util';
import type { Core } from '@strapi/strapi';
import { withCms } from './lib/cms-app';

const USAGE = 'Usage: npm run two-factor -- reset <email> [--user]';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { user: { type: 'boolean', default: false } } });
const [command, email] = positionals;
if (command !== 'reset' || !email) {
  console.error(USAGE);
  process.exit(2);
}

type Factors = { remove(owner: { kind: 'admin' | 'user'; id: number }, by: { kind: 'script'; id: null }): Promise<boolean> };

async function reset(strapi: Core.Strapi) {
  const kind = values.user ? 'user' : 'admin';
  const uid = kind === 'admin' ? 'admin::user' : 'plugin::users-permissions.user';
  const account = (await strapi.db.query(uid).findOne({ where: { email: email.toLowerCase() }, select: ['id'] })) as { id: number } | null;
  if (!account) return `No ${kind === 'admin' ? 'admin' : 'API user'} has the email ${email}.`;
  const removed = await (strapi.plugin('two-factor').service('factors') as Factors).remove({ kind, id: Number(account.id) }, { kind: 'script', id: null });
  return removed ? `Two-factor sign-in is off for ${email}: the password alone signs in until they enrol again.` : `${email} had no two-factor sign-in: nothing changed.`;
}

withCms(reset).then(
  (message) => {
    console.log(message);
    process.exit(message.startsWith('No ') ? 1 : 0);
  },
  (error: Error) => {
    console.error(error);
    process.exit(1);
  }
);
