/**
 * The demo's pictures: each artist's portrait card and each event's hero banner, drawn by
 * ./artwork.ts and stored through the upload plugin like any editor's upload (the local folder on a
 * laptop, S3 in production). Only documents without a picture get one, so a second run uploads nothing
 * and an editor's own picture is never replaced.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { artistArtwork, eventHero } from './artwork';

type UploadedFile = { id: number };
type PictureOwner = 'api::artist.artist' | 'api::event.event';

/** Stores a PNG through the upload plugin (formats, provider, database row) and returns its row. */
export async function uploadPicture(strapi: Core.Strapi, png: Buffer, name: string, alternativeText: string): Promise<UploadedFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovation-seed-'));
  const filepath = path.join(dir, name);
  try {
    fs.writeFileSync(filepath, png);
    const [file] = (await strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { name, alternativeText } },
        files: { filepath, originalFilename: name, mimetype: 'image/png', size: png.length },
      })) as UploadedFile[];
    return file!;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the published document with this slug has a picture in `field` already. */
async function hasPicture(strapi: Core.Strapi, uid: PictureOwner, slug: string, field: 'avatar' | 'hero_image') {
  const row = await strapi.db.query(uid).findOne({ where: { slug, publishedAt: { $notNull: true } }, populate: [field] });
  return !row || Boolean(row[field]);
}

/** Sets a picture on a document (the field is shared by its languages, which Strapi copies) and publishes every language. */
async function attach(strapi: Core.Strapi, uid: PictureOwner, documentId: string, field: 'avatar' | 'hero_image', fileId: number) {
  await strapi.documents(uid).update({ documentId, locale: 'en', data: { [field]: fileId } as never });
  await strapi.documents(uid).publish({ documentId, locale: '*' });
}

export async function ensureDemoPictures(
  strapi: Core.Strapi,
  demo: {
    artists: { slug: string; name: string; genre: string; documentId: string }[];
    events: { slug: string; title: string; documentId: string }[];
  },
  created: string[]
) {
  for (const artist of demo.artists) {
    if (await hasPicture(strapi, 'api::artist.artist', artist.slug, 'avatar')) continue;
    const file = await uploadPicture(strapi, await artistArtwork(artist.name, artist.genre), `${artist.slug}.png`, artist.name);
    await attach(strapi, 'api::artist.artist', artist.documentId, 'avatar', file.id);
    created.push(`picture of ${artist.slug}`);
  }
  for (const event of demo.events) {
    if (await hasPicture(strapi, 'api::event.event', event.slug, 'hero_image')) continue;
    const file = await uploadPicture(strapi, await eventHero(event.title), `${event.slug}-hero.png`, event.title);
    await attach(strapi, 'api::event.event', event.documentId, 'hero_image', file.id);
    created.push(`hero of ${event.slug}`);
  }
}
