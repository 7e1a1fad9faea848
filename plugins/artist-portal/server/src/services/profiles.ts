import crypto from 'crypto';
import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ArtistLink, MyProfile, PendingChange, ProfileFields } from '../../../shared/contracts';
import { processAvatar } from '../utils/avatar';
import { ARTIST } from '../utils/cms';
import { knexFor, TABLES } from '../utils/db';
import { unsupportedMedia } from '../utils/errors';
import type { ProfileInput } from '../utils/validation';

type ChangeRow = {
  id: number;
  artist_ref: string;
  user_id: number;
  bio_en: string | null;
  bio_es: string | null;
  genre: string | null;
  links: ArtistLink[] | string | null;
  avatar_file_id: number | null;
  updated_at: Date | string;
};
type ArtistDocument = { documentId: string; name: string; slug: string; bio?: string | null; genre?: string | null; links?: ArtistLink[]; avatar?: { id: number; url: string } | null };

const linksOf = (value: ChangeRow['links']): ArtistLink[] => (typeof value === 'string' ? JSON.parse(value) : (value ?? []));

/**
 * An artist's own profile: what is published, and the one pending change they edit until an editor
 * publishes or rejects it. Every method takes the artist the server linked to the signed-in account
 * (claims.artistOf), never one named by the request.
 */
const createProfiles = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => strapi.documents(ARTIST);

  async function publishedFields(artistRef: string): Promise<{ artist: ArtistDocument; fields: ProfileFields } | null> {
    const [en, es] = await Promise.all(
      (['en', 'es'] as const).map((locale) =>
        documents().findOne({ documentId: artistRef, locale, status: 'published', populate: ['links', 'avatar'] }) as Promise<ArtistDocument | null>
      )
    );
    const draft = (await documents().findOne({ documentId: artistRef, locale: 'en', status: 'draft' })) as ArtistDocument | null;
    const base = en ?? draft;
    if (!base) return null;
    return {
      artist: base,
      fields: {
        bio: { en: en?.bio ?? null, es: es?.bio ?? null },
        genre: en?.genre ?? null,
        links: (en?.links ?? []).map(({ platform, url }) => ({ platform, url })),
        avatar: en?.avatar ? { url: en.avatar.url } : null,
      },
    };
  }

  async function fileUrl(id: number | null) {
    if (!id) return null;
    const file = (await strapi.db.query('plugin::upload.file').findOne({ where: { id }, select: ['url'] })) as { url: string } | null;
    return file ? { url: file.url } : null;
  }

  async function asFields(row: ChangeRow): Promise<ProfileFields> {
    return { bio: { en: row.bio_en, es: row.bio_es }, genre: row.genre, links: linksOf(row.links), avatar: await fileUrl(row.avatar_file_id) };
  }

  /** The artist's pending change, locked, made from what is published when there is none yet. */
  async function pendingFor(artistRef: string, userId: number): Promise<ChangeRow> {
    const knex = await knexFor(strapi);
    // The account row, locked: an artist's two saves at once write one pending change, one after the other.
    await knex(TABLES.accounts).where({ artist_ref: artistRef }).forUpdate().first('id');
    const existing = (await knex(TABLES.changes).where({ artist_ref: artistRef, state: 'pending' }).orderBy('id', 'desc').first()) as ChangeRow | undefined;
    if (existing) return existing;
    const current = await publishedFields(artistRef);
    if (!current) throw new errors.NotFoundError('Your artist no longer exists');
    const now = new Date();
    const avatarId = current.artist.avatar?.id ?? null;
    const [row] = (await knex(TABLES.changes)
      .insert({
        document_id: crypto.randomBytes(12).toString('hex'),
        artist_ref: artistRef,
        user_id: userId,
        state: 'pending',
        bio_en: current.fields.bio.en,
        bio_es: current.fields.bio.es,
        genre: current.fields.genre,
        links: JSON.stringify(current.fields.links),
        avatar_file_id: avatarId,
        created_at: now,
        updated_at: now,
        published_at: now,
      })
      .returning('*')) as ChangeRow[];
    return row;
  }

  return {
    async mine(artistRef: string): Promise<MyProfile> {
      const current = await publishedFields(artistRef);
      if (!current) throw new errors.NotFoundError('Your artist no longer exists');
      const knex = await knexFor(strapi);
      const pending = (await knex(TABLES.changes).where({ artist_ref: artistRef, state: 'pending' }).orderBy('id', 'desc').first()) as ChangeRow | undefined;
      return {
        artist: { documentId: artistRef, name: current.artist.name, slug: current.artist.slug },
        published: current.fields,
        pending: pending ? { id: pending.id, updatedAt: new Date(pending.updated_at).toISOString(), ...(await asFields(pending)) } : null,
      };
    },

    /** Saves the artist's text and links as their pending change (the picture stays as it is). */
    async propose(artistRef: string, userId: number, body: ProfileInput) {
      await strapi.db.transaction(async () => {
        const row = await pendingFor(artistRef, userId);
        await (await knexFor(strapi))(TABLES.changes)
          .where({ id: row.id })
          .update({ bio_en: body.bio.en, bio_es: body.bio.es, genre: body.genre, links: JSON.stringify(body.links), user_id: userId, updated_at: new Date() });
      });
      return this.mine(artistRef);
    },

    /**
     * Checks the picture by its content and size, re-encodes it without metadata, stores it in the
     * Media Library and puts it in the pending change. Nothing is stored when it is refused.
     */
    async proposeAvatar(artistRef: string, userId: number, upload: { filepath: string; size: number }) {
      if (upload.size > 5 * 1024 * 1024) throw new errors.PayloadTooLargeError('The picture is larger than 5 MB');
      const processed = await processAvatar(await fs.readFile(upload.filepath));
      if (!processed.ok) {
        if (processed.problem.status === 413) throw new errors.PayloadTooLargeError(processed.problem.message);
        if (processed.problem.status === 415) throw unsupportedMedia(processed.problem.message);
        throw new errors.ValidationError(processed.problem.message);
      }
      const current = await publishedFields(artistRef);
      if (!current) throw new errors.NotFoundError('Your artist no longer exists');
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ovation-avatar-'));
      try {
        const filepath = path.join(dir, 'avatar.jpg');
        await fs.writeFile(filepath, processed.data);
        const [file] = (await strapi
          .plugin('upload')
          .service('upload')
          .upload({
            data: { fileInfo: { name: `${current.artist.slug}-avatar.jpg`, alternativeText: current.artist.name } },
            files: { filepath, originalFilename: `${current.artist.slug}-avatar.jpg`, mimetype: 'image/jpeg', size: processed.data.length },
          })) as { id: number }[];
        await strapi.db.transaction(async () => {
          const row = await pendingFor(artistRef, userId);
          await (await knexFor(strapi))(TABLES.changes).where({ id: row.id }).update({ avatar_file_id: file.id, user_id: userId, updated_at: new Date() });
        });
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
      return this.mine(artistRef);
    },

    /** Every change waiting for an editor, oldest first, next to what is published. */
    async pending(): Promise<PendingChange[]> {
      const rows = (await strapi.db.connection(TABLES.changes).where({ state: 'pending' }).orderBy('updated_at', 'asc').select()) as ChangeRow[];
      const list: PendingChange[] = [];
      for (const row of rows) {
        const current = await publishedFields(row.artist_ref);
        if (!current) continue;
        list.push({
          id: row.id,
          artist: { documentId: row.artist_ref, name: current.artist.name, slug: current.artist.slug },
          current: current.fields,
          updatedAt: new Date(row.updated_at).toISOString(),
          ...(await asFields(row)),
        });
      }
      return list;
    },

    /**
     * Applies a pending change to the artist and publishes it, English and Spanish, through the
     * Document Service (so the audit trail, webhooks and the content cache see an ordinary publish).
     */
    async publish(id: number, adminId: number | null) {
      await strapi.db.transaction(async () => {
        const knex = await knexFor(strapi);
        const row = (await knex(TABLES.changes).where({ id }).forUpdate().first()) as (ChangeRow & { state: string }) | undefined;
        if (!row) throw new errors.NotFoundError('No such change');
        if (row.state !== 'pending') throw new errors.ApplicationError(`This change was already ${row.state}`);
        const shared = { links: linksOf(row.links), avatar: row.avatar_file_id ?? null };
        const en = (await documents().findOne({ documentId: row.artist_ref, locale: 'en', status: 'draft' })) as ArtistDocument | null;
        if (!en) throw new errors.NotFoundError('The artist of this change no longer exists');
        await documents().update({ documentId: row.artist_ref, locale: 'en', data: { bio: row.bio_en, genre: row.genre, ...shared } as never });
        // A Spanish version is made only for a Spanish bio; its name and slug are the artist's (not localized).
        const es = await documents().findOne({ documentId: row.artist_ref, locale: 'es', status: 'draft' });
        if (es || row.bio_es) {
          await documents().update({ documentId: row.artist_ref, locale: 'es', data: { name: en.name, slug: en.slug, bio: row.bio_es, genre: row.genre, ...shared } as never });
        }
        await documents().publish({ documentId: row.artist_ref, locale: '*' } as never);
        await knex(TABLES.changes).where({ id }).update({ state: 'published', decided_by: adminId, decided_at: new Date(), updated_at: new Date() });
      });
    },

    /** Refuses a pending change: the artist sees their published profile again and may propose anew. */
    async reject(id: number, adminId: number | null) {
      const knex = await knexFor(strapi);
      const updated = await knex(TABLES.changes).where({ id, state: 'pending' }).update({ state: 'rejected', decided_by: adminId, decided_at: new Date(), updated_at: new Date() });
      if (updated !== 1) throw new errors.NotFoundError('No pending change with this id');
    },
  };
};

export type ProfilesService = ReturnType<typeof createProfiles>;
export default createProfiles;
