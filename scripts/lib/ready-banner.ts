import fs from 'fs';
import { adminCreatedSince, describeNewAdmin, shownPath } from '../../cms/src/lib/admin-credentials';
import { formatDuration } from './progress.mjs';

export type Ready = {
  cmsPort: string;
  sitePort: string;
  /** When `npm run dev` started: credentials written since then were created by this run. */
  startedAt: number;
  /** Where the cms keeps a new admin's credentials (none outside development). */
  credentialsFile?: string;
};

/** What `npm run dev` prints once the cms answers: the addresses and, on the run that created it, the admin's password. */
export function readyBanner({ cmsPort, sitePort, startedAt, credentialsFile }: Ready, now = Date.now()): string[] {
  const cms = `http://localhost:${cmsPort}`;
  const lines = [
    '',
    `Ovation is up after ${formatDuration(now - startedAt)}. Ctrl-C stops everything.`,
    `  Admin:      ${cms}/admin`,
    `  REST:       ${cms}/api/events`,
    `  GraphQL:    ${cms}/graphql`,
    `  Site:       http://localhost:${sitePort}`,
    `  Liveness:   ${cms}/_health`,
    `  Readiness:  ${cms}/_ready`,
  ];
  const created = credentialsFile ? adminCreatedSince(credentialsFile, startedAt) : undefined;
  if (created) {
    lines.push(...describeNewAdmin({ ...created, file: credentialsFile }, 'The admin was created on this run. Sign in with:'));
  } else if (credentialsFile && fs.existsSync(credentialsFile)) {
    lines.push('', `  Admin sign-in: in ${shownPath(credentialsFile)}. Lost the password? npm run admin:password`, '');
  } else {
    lines.push('');
  }
  return lines;
}
