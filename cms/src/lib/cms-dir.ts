import fs from 'fs';
import path from 'path';

/** The cms package's folder, whether this runs from its sources (tsx, tests) or from dist/ (Strapi). */
export const CMS_DIR = findCmsDir(__dirname);

function findCmsDir(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === '@ovation/cms') {
      return dir;
    }
  }
  throw new Error(`Cannot find the cms package above ${from}`);
}
