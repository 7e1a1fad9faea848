import { factories } from '@strapi/strapi';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { decryptPII, encryptPII, lookupHash, maskIdentifier } from '../../../lib/pii';

const UID = 'api::fan.fan';
const PAGE = 500;

/** The number's country (ISO 3166), kept beside the encrypted number so segments can ask for it in SQL. */
const countryOf = (e164: string) => parsePhoneNumberFromString(e164)?.country ?? null;

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

  /** The lookup hash of an E.164 number or a lower-cased email, as the fan and the ledger store it. */
  lookupHashOf(identifier: string) {
    return lookupHash(identifier);
  },

  /** The number or address as the admin may show it (`+12***89`, `a***@example.com`). */
  mask(identifier: string) {
    return maskIdentifier(identifier);
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
          country: countryOf(e164),
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

  /** Fills in the country of fans stored before it was kept, a page at a time; returns how many. */
  async fillCountries() {
    let filled = 0;
    for (let afterId = 0; ; ) {
      const page = (await strapi.db.connection('fans')
        .whereNull('country')
        .whereNotNull('phone_encrypted')
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(PAGE)
        .select('id', 'phone_encrypted')) as { id: number; phone_encrypted: string }[];
      if (page.length === 0) return filled;
      afterId = page[page.length - 1].id;
      for (const fan of page) {
        let country: string | null;
        try {
          country = countryOf(decryptPII(fan.phone_encrypted));
        } catch {
          continue; // a row sealed under another key, or damaged: left as it is, never fatal
        }
        if (country) filled += await strapi.db.connection('fans').where({ id: fan.id }).whereNull('country').update({ country });
      }
    }
  },

  /** The fan's email address in clear, to send them a message. */
  emailOf(fan: { email_encrypted: string }) {
    return decryptPII(fan.email_encrypted);
  },

  /** The keyed hash an email address is found by (the address trimmed and lower-cased). */
  hashEmail(email: string) {
    return lookupHash(email.trim().toLowerCase());
  },

  /** An email address sealed for storing (AES-256-GCM, PII_ENCRYPTION_KEY); `emailOf` opens it. */
  sealEmail(email: string) {
    return encryptPII(email.trim().toLowerCase());
  },

  /**
   * Puts a confirmed address on file: on the fan who already has it; else on the given fan (in place
   * of an earlier address); else on a new fan known only by it (a sign-up from a recap page). The
   * unique index on email_hash keeps an address on one fan; two confirmations at once find the winner.
   */
  async addEmail(email: string, { fanRef, language }: { fanRef: string | null; language: Locale }): Promise<{ documentId: string; created: boolean }> {
    const address = email.trim().toLowerCase();
    const hash = lookupHash(address);
    const holder = async () => (await strapi.db.connection('fans').where({ email_hash: hash }).first('document_id')) as { document_id: string } | undefined;
    const existing = await holder();
    if (existing) return { documentId: existing.document_id, created: false };
    try {
      if (fanRef) {
        const updated = await strapi.db.connection('fans').where({ document_id: fanRef }).update({ email_encrypted: encryptPII(address), email_hash: hash, updated_at: new Date() });
        if (updated > 0) return { documentId: fanRef, created: false };
      }
      const created = await strapi.documents(UID).create({ data: { email_encrypted: encryptPII(address), email_hash: hash, language, first_seen: new Date() } as never });
      return { documentId: created.documentId, created: true };
    } catch (error) {
      const raced = await holder();
      if (raced) return { documentId: raced.document_id, created: false };
      throw error;
    }
  },

  /** The fan's phone number in clear, to send them a message. */
  phoneOf(fan: { phone_encrypted: string }) {
    return decryptPII(fan.phone_encrypted);
  },
}));
