/**
 * `npm run openapi`: writes the API's OpenAPI 3.1 document (the one the cms serves at
 * /api/openapi.json) to docs/openapi.json, and the partner example's types generated from it.
 * `npm run openapi -- --check` changes nothing and fails when either is stale.
 */
import fs from 'fs';
import path from 'path';
import { withCms } from './lib/cms-app';
import { REPO_DIR } from './lib/build';
import { buildOpenApiDocument } from '../cms/src/lib/openapi';

const target = path.join(REPO_DIR, 'docs', 'openapi.json');
const check = process.argv.includes('--check');

withCms(async (strapi) => {
  // The routes are known once the server has mounted them, as when it serves the document.
  strapi.server.mount();
  return `${JSON.stringify(buildOpenApiDocument(strapi), null, 2)}\n`;
}).then(
  (text) => {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (check) {
      if (current === text) return console.log('docs/openapi.json is up to date.');
      console.error('docs/openapi.json is stale: run `npm run openapi` and commit it.');
      process.exit(1);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    console.log(current === text ? 'docs/openapi.json was already up to date.' : 'Wrote docs/openapi.json.');
    process.exit(0);
  },
  (error: Error) => {
    console.error(error);
    process.exit(1);
  }
);
