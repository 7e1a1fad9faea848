/**
 * `npm run admin:password [-- --email someone@example.com]`: gives an admin (the demo's first admin
 * unless told) a new generated password, prints it and, in development, keeps it in
 * cms/.admin-credentials. To choose the password yourself: `npx strapi admin:reset-user-password` in cms/.
 */
import { parseArgs } from 'util';
import { describeNewAdmin, generateAdminPassword, keepAdminCredentials } from '../cms/src/lib/admin-credentials';
import { ADMIN_EMAIL } from '../cms/src/seed';
import { withCms } from './lib/cms-app';

const { values } = parseArgs({ options: { email: { type: 'string', default: ADMIN_EMAIL } } });
const email = values.email as string;

withCms(async (strapi) => {
  const password = generateAdminPassword();
  // What Strapi's own admin:reset-user-password does: the admin's password rules, then the update.
  await strapi.service('admin::user').resetPasswordByEmail(email, password);
  describeNewAdmin(keepAdminCredentials({ email, password }), 'New admin password:').forEach((line) => console.log(line));
}).then(
  () => process.exit(0),
  (error: Error) => {
    console.error(/User not found/.test(error.message) ? `No admin has the email ${email}: pass --email with one that does.` : error);
    process.exit(1);
  }
);
