import { factories } from '@strapi/strapi';
import { decryptPII, encryptPII, lookupHash, maskIdentifier } from '../../../lib/pii';

const UID = 'api::fan.fan';

export type Locale = 'en' | 'es';
export type FanRecord = { id: number; documentId: string; language: Locale; phone_hash: string };

/**
 * Fans are found by the keyed hash of their E.164 number; the number itself is stored encrypted and
 * only decrypted to send them a message.
 */
export default factories.createCoreService(UID, ({ strapi }) => ({
  hashPhone(e164: string) {
    return lookupHash(e164);
  },

  async findByPhone(e164: string): Promise<FanRecord | null> {
    return strapi.db.query(UID).findOne({
      where: { phone_hash: lookupHash(e164) },
      select: ['id', 'documentId', 'language', 'phone_hash'],
    }) as Promise<FanRecord | null>;
  },

  /** The fan with this number, created on first contact. Safe under concurrent first contacts. */
  async upsertByPhone(e164: string, { language }: { language: Locale }): Promise<FanRecord & { created: boolean }> {
    const existing = await this.findByPhone(e164);
    if (existing) return { ...existing, created: false };
    try {
      const created = await strapi.documents(UID).create({
        data: {
          phone_encrypted: encryptPII(e164),
          phone_hash: lookupHash(e164),
          phone_masked: maskIdentifier(e164),
          language,
          first_seen: new Date(),
        } as never,
      });
      return { id: created.id as number, documentId: created.documentId, language, phone_hash: lookupHash(e164), created: true };
    } catch (error) {
      // Two first messages at once: the unique index on phone_hash let one through; use it.
      const raced = await this.findByPhone(e164);
      if (raced) return { ...raced, created: false };
      throw error;
    }
  },

  async setLanguage(documentId: string, language: Locale) {
    await strapi.db.query(UID).update({ where: { documentId }, data: { language } });
  },

  /** The fan's phone number in clear, to send them a message. */
  phoneOf(fan: { phone_encrypted: string }) {
    return decryptPII(fan.phone_encrypted);
  },
}));
