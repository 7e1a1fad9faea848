import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import { afterCommit, knexFor } from '../utils/db';
import { consent, fans, type Language } from '../utils/cms';
import { parseCommand, type Command } from '../utils/commands';
import { getService } from '../utils/get-service';
import { auditActing } from '@ovation/workers/jobs';
import { newDocumentId, subjectKey } from '../utils/ids';
import { guessLanguage, normalizePhone } from '../utils/phone';
import { pluginConfig } from '../utils/plugin-config';
import { INVITE_VERSION, describeCodes, hasMaskedVoteLink, inviteText, maskVoteLinks, reply, revealVoteLinks, voteLink } from '../utils/replies';
import { isUniqueViolation } from '../utils/sql';
import { TABLES, rowStamps } from '../utils/tables';

export type InboundSms = { messageSid: string; from: string; to: string; body: string };
export type Handled = {
  reply: string;
  outcome: string;
  /** The round whose voting link the reply carries: stored with the reply, whose link is stored masked. */
  linkRound?: string;
  /** The invitation to news the reply ends with (a first join's): what a later YES consents to. */
  invitation?: string;
};

type Fan = { documentId: string; language: Language };

/**
 * The keyword router behind Twilio's inbound webhook. Each MessageSid is handled once: the reply is
 * stored with it, in the same transaction as what the message changed, and a redelivery gets the
 * stored reply back and changes nothing. A reply's voting link is stored masked (a link votes) and
 * derived again for a redelivery, so it gets the same link.
 */
const createInbound = ({ strapi }: { strapi: Core.Strapi }) => {
  const directory = () => getService(strapi, 'directory');

  /** The reply a MessageSid got, as it was sent: a masked link is derived again for the sender. */
  const storedReply = async (messageSid: string, phone: string | null): Promise<Handled | undefined> => {
    const row = await (await knexFor(strapi))(TABLES.inbound).where({ message_sid: messageSid }).first('reply', 'outcome', 'link_round_ref');
    if (!row) return undefined;
    const stored = { reply: row.reply as string, outcome: row.outcome as string };
    const fan = row.link_round_ref && phone ? await fans(strapi).findByPhone(phone) : null;
    const token = fan && (await getService(strapi, 'tokens').issue({ roundRef: row.link_round_ref, fanRef: fan.documentId }));
    return token ? { ...stored, reply: revealVoteLinks(stored.reply, token) } : stored;
  };

  const codesOf = async (eventRef: string, language: Language) =>
    describeCodes((await directory().lineup(eventRef)).map((entry) => entry.code), language);

  const join = async (sms: InboundSms, phone: string, keyword: string, language?: Language): Promise<Handled> => {
    const event = await directory().eventByKeyword(keyword);
    if (!event) return { reply: reply(language ?? guessLanguage(phone), 'unknown'), outcome: 'unknown' };

    const existing = await fans(strapi).findByPhone(phone);
    const fan = existing ?? (await fans(strapi).upsertByPhone(phone, { language: language ?? guessLanguage(phone) }));
    if (existing && language && existing.language !== language) await fans(strapi).setLanguage(existing.documentId, language);
    const lang = language ?? fan.language;
    const title = directory().titleOf(event, lang);

    if (event.phase === 'closed' || event.phase === 'archived') return { reply: reply(lang, 'ended', { event: title }), outcome: 'ended' };

    const joined = await getService(strapi, 'attendance').join(event, fan.documentId, 'sms');
    if (joined === 'full') return { reply: reply(lang, 'full', { event: title }), outcome: 'full' };

    // Texting the keyword is the fan asking for this event's messages: recorded as consent.
    await consent(strapi).record({
      identifier: phone,
      channel: 'sms',
      purpose: `event:${event.slug}`,
      action: 'opt_in',
      source: 'sms-keyword',
      evidence: { messageSid: sms.messageSid, keyword, to: sms.to },
    });
    if (joined === 'joined') await afterCommit(strapi, 'burst check', () => getService(strapi, 'abuse').noteJoin(event.documentId, phone));

    // A first join ends with the invitation to news: joining is not marketing consent, YES is.
    // The text shown is stored with the reply: YES records exactly it, whatever BRAND_NAME says later.
    const invitation = joined === 'joined' ? inviteText(lang, pluginConfig(strapi).brandName) : undefined;
    const invite = (text: string) => ({ reply: invitation ? `${text} ${invitation}` : text, invitation });
    const round = await directory().openRound(event.documentId);
    if (!round) return { ...invite(reply(lang, 'joinedWaiting', { event: title })), outcome: joined };
    const token = await getService(strapi, 'tokens').issue({ roundRef: round.documentId, fanRef: fan.documentId });
    if (!token) return { ...invite(reply(lang, 'joinedWaiting', { event: title })), outcome: joined };
    return {
      ...invite(
        reply(lang, 'joined', {
          event: title,
          round: round.number,
          codes: await codesOf(event.documentId, lang),
          link: voteLink(pluginConfig(strapi).siteUrl, lang, token),
        })
      ),
      outcome: joined,
      linkRound: round.documentId,
    };
  };

  const vote = async (phone: string, code: string, language?: Language): Promise<Handled> => {
    const fan = (await fans(strapi).findByPhone(phone)) as Fan | null;
    const lang = language ?? fan?.language ?? guessLanguage(phone);
    if (!fan) return { reply: reply(lang, 'notJoined'), outcome: 'not_joined' };

    // The fan's events with an open round, most recently joined first; the first whose lineup has the code wins.
    let openElsewhere: { eventRef: string } | undefined;
    for (const eventRef of await getService(strapi, 'attendance').eventsOf(fan.documentId)) {
      const round = await directory().openRound(eventRef);
      if (!round) continue;
      openElsewhere ??= { eventRef };
      const entry = await directory().entryByCode(eventRef, code);
      if (!entry) continue;

      const outcome = await getService(strapi, 'votes').cast({ fanRef: fan.documentId, eventRef, roundRef: round.documentId, entry, channel: 'sms' });
      if (outcome.status === 'accepted') {
        return { reply: reply(lang, 'voted', { artist: entry.artist?.name ?? code, round: round.number }), outcome: 'voted' };
      }
      if (outcome.status === 'already_voted') return { reply: reply(lang, 'alreadyVoted', { round: round.number }), outcome: 'already_voted' };
      return { reply: reply(lang, 'noOpenRound'), outcome: 'round_closed' };
    }
    if (openElsewhere) {
      return { reply: reply(lang, 'unknownCode', { code, codes: await codesOf(openElsewhere.eventRef, lang) }), outcome: 'unknown_code' };
    }
    return { reply: reply(lang, 'noOpenRound'), outcome: 'no_open_round' };
  };

  /**
   * YES: as START for the carrier, and marketing consent when this number was shown the invitation
   * (stored with the join's reply): recorded with the exact text shown, its hash and its version.
   */
  const sayYes = async (sms: InboundSms, phone: string, language: Language): Promise<Handled> => {
    const shown = await (await knexFor(strapi))(TABLES.inbound)
      .where({ from_hash: fans(strapi).hashPhone(phone) })
      .whereNotNull('invitation')
      .orderBy('id', 'desc')
      .first('message_sid', 'invitation');
    if (!shown) return { reply: reply(language, 'started'), outcome: 'opted_in' };
    const text = shown.invitation as string;
    await consent(strapi).record({
      identifier: phone,
      channel: 'sms',
      purpose: 'marketing_sms',
      action: 'opt_in',
      source: 'sms-yes',
      evidence: { messageSid: sms.messageSid, shownIn: shown.message_sid, text, textSha256: crypto.createHash('sha256').update(text).digest('hex'), version: INVITE_VERSION },
    });
    return { reply: reply(language, 'newsOn', { brand: pluginConfig(strapi).brandName }), outcome: 'marketing_opt_in' };
  };

  /**
   * What the message asks for, parsed once: a bare word is a join when it is an event's keyword,
   * else a vote code. Every path (the fast vote, the transaction, a retry) dispatches on this.
   */
  const understand = async (body: string): Promise<Command> => {
    const command = parseCommand(body);
    if (command.kind !== 'word') return command;
    return (await directory().eventByKeyword(command.word)) ? { kind: 'join', keyword: command.word } : { kind: 'vote', code: command.word };
  };

  const route = async (sms: InboundSms, command: Command, phone: string): Promise<Handled> => {
    const known = async () => ((await fans(strapi).findByPhone(phone)) as Fan | null)?.language ?? guessLanguage(phone);
    const optChange = async (action: 'opt_in' | 'opt_out') =>
      consent(strapi).record({ identifier: phone, channel: 'sms', purpose: 'all', action, source: 'sms-keyword', evidence: { messageSid: sms.messageSid, body: sms.body.slice(0, 40) } });

    switch (command.kind) {
      case 'stop':
        await optChange('opt_out');
        return { reply: reply(await known(), 'stopped'), outcome: 'opted_out' };
      case 'start':
        await optChange('opt_in');
        return { reply: reply(await known(), 'started'), outcome: 'opted_in' };
      case 'yes':
        await optChange('opt_in');
        return sayYes(sms, phone, await known());
      case 'help':
        return { reply: reply(await known(), 'help'), outcome: 'help' };
      case 'language': {
        const fan = await fans(strapi).findByPhone(phone);
        if (fan) await fans(strapi).setLanguage(fan.documentId, command.language);
        return { reply: reply(command.language, 'language'), outcome: 'language' };
      }
      case 'join':
        return join(sms, phone, command.keyword, command.language);
      case 'vote':
        return vote(phone, command.code, command.language);
      default:
        return { reply: reply(await known(), 'unknown'), outcome: 'unknown' };
    }
  };

  const handleMessage = async (sms: InboundSms, phone: string | null): Promise<Handled> => {
    const command = await understand(sms.body);
    const fastPath = getService(strapi, 'sms-votes');
    if (phone && command.kind === 'vote' && fastPath.supported()) {
      const handled = await fastPath.cast(sms, phone, command.code, command.language);
      // A vote's reply has no link; a retried join that now reads as a vote is answered below.
      if (handled && !hasMaskedVoteLink(handled.reply)) return handled;
    }

    const replay = await storedReply(sms.messageSid, phone);
    if (replay) return replay;

    // A joining fan's row is created before the transaction: two first messages from one number at
    // once then meet at the unique phone hash on their own, without failing the message's transaction.
    if (phone && command.kind === 'join' && (await directory().eventByKeyword(command.keyword))) {
      await fans(strapi).upsertByPhone(phone, { language: command.language ?? guessLanguage(phone) });
    }

    try {
      return await strapi.db.transaction(async ({ trx }) => {
        const handled = phone ? await route(sms, command, phone) : { reply: reply('en', 'invalidNumber'), outcome: 'invalid_number' };
        await trx(TABLES.inbound).insert({
          ...rowStamps(newDocumentId()),
          message_sid: sms.messageSid,
          from_hash: phone ? fans(strapi).hashPhone(phone) : null,
          body: maskVoteLinks(sms.body.slice(0, 320)),
          reply: maskVoteLinks(handled.reply),
          outcome: handled.outcome,
          link_round_ref: handled.linkRound ?? null,
          invitation: handled.invitation ?? null,
        });
        return handled;
      });
    } catch (error) {
      // The same MessageSid arriving twice at once: the other delivery stored its reply first.
      if (isUniqueViolation(error)) {
        const stored = await storedReply(sms.messageSid, phone);
        if (stored) return stored;
      }
      throw error;
    }
  };

  /** What the fan's message changes is recorded as the fan's, by their subject key (never the number). */
  const asFan = <T>(phone: string | null, task: () => Promise<T>) =>
    phone ? auditActing(strapi, { identity: { kind: 'fan', id: subjectKey(strapi.config.get('server.app.keys') as string[], phone) } }, task) : task();

  return {
    handle(sms: InboundSms): Promise<Handled> {
      const phone = normalizePhone(sms.from);
      return asFan(phone, () => handleMessage(sms, phone));
    },
  };
};

export type InboundService = ReturnType<typeof createInbound>;
export default createInbound;
