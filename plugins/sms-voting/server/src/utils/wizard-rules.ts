import { z } from 'zod/v4';
import { VOTE_CODE_MAX_LENGTH, whole, VOTE_CODE } from '../../../shared/contracts';
import { isReservedWord } from './commands';

/**
 * The event wizard's submission and the rules that need nothing but the submission itself (the
 * database's are in services/wizard.ts). Issues carry the path the wizard shows them at.
 */

const KEYWORD = /^[A-Za-z0-9]{2,20}$/;
const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);
const required = (max: number) => text(max).min(1, 'Required');
const instant = z.iso.datetime({ offset: true, error: 'A date and time' });

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}, 'Not a time zone (e.g. Europe/Madrid)');

const bilingual = (max: number, req: boolean) => z.object({ en: req ? required(max) : text(max), es: req ? required(max) : text(max) });

export const keywordRule = z
  .string()
  .trim()
  .regex(KEYWORD, '2 to 20 letters or digits')
  .refine((word) => !isReservedWord(word), 'This word is an SMS command')
  .transform((word) => word.toUpperCase());

const voteCode = z
  .string()
  .trim()
  .regex(whole(VOTE_CODE), `1 to ${VOTE_CODE_MAX_LENGTH} letters or digits`)
  .refine((code) => !isReservedWord(code), 'This word is an SMS command')
  .transform((code) => code.toUpperCase());

const documentId = z.string().regex(/^[a-z0-9]{1,64}$/, 'Not a document id');

export const WizardBody = z
  .object({
    details: z.object({
      title: bilingual(160, true),
      description: bilingual(4000, false),
      venue: text(160),
      city: text(120),
      timezone: timeZone,
      startsAt: instant,
      endsAt: instant,
      keyword: keywordRule,
      capacity: z.number().int('A whole number').min(1, 'At least 1').nullable(),
      resultsVisibility: z.enum(['public', 'after_close', 'private']),
      privacyMode: z.enum(['standard', 'anonymous']),
    }),
    rounds: z
      .array(
        z.object({
          documentId: documentId.optional(),
          number: z.number().int('A whole number').min(1, 'At least 1'),
          title: bilingual(120, false),
          opensAt: instant,
          closesAt: instant,
        })
      )
      .max(50),
    lineup: z
      .array(
        z.object({
          documentId: documentId.optional(),
          artist: z.union([
            z.object({ documentId, name: z.string().optional() }),
            z.object({ documentId: z.undefined().optional(), name: required(120) }),
          ], { error: 'Pick an artist, or type the new artist’s name' }),
          voteCode,
        })
      )
      .max(100),
    publish: z.boolean(),
    documentId: documentId.optional(),
  });

export type WizardSubmission = z.output<typeof WizardBody>;

/**
 * The rules between fields. `started` holds the rounds that have opened (an edit): their times are
 * what happened, set when they opened, so they are neither checked against the schedule nor changed;
 * a pending round still may not overlap them.
 */
export function wizardRuleIssues({ details, rounds, lineup }: WizardSubmission, started: Set<string> = new Set()) {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message });
  // Checked here rather than with min(1), so the wizard's rounds step is checked while the lineup is still empty.
  if (rounds.length === 0) issue(['rounds'], 'An event needs at least one round');
  if (lineup.length === 0) issue(['lineup'], 'An event needs at least one artist');
  const starts = Date.parse(details.startsAt);
  const ends = Date.parse(details.endsAt);
  if (ends <= starts) issue(['details', 'endsAt'], 'The event must end after it starts');

  const isStarted = (index: number) => Boolean(rounds[index].documentId && started.has(rounds[index].documentId!));
  const numbers = new Set<number>();
  rounds.forEach((round, index) => {
    const opens = Date.parse(round.opensAt);
    const closes = Date.parse(round.closesAt);
    if (numbers.has(round.number)) issue(['rounds', index, 'number'], `Round ${round.number} is already in the list`);
    numbers.add(round.number);
    if (isStarted(index)) return;
    if (closes <= opens) issue(['rounds', index, 'closesAt'], 'A round must close after it opens');
    else if (opens < starts || opens > ends) issue(['rounds', index, 'opensAt'], 'The round must open during the event');
    else if (closes > ends) issue(['rounds', index, 'closesAt'], 'The round must close by the end of the event');
  });
  // Each round is checked against the ones before it in time; the later one carries the error.
  const byTime = rounds.map((round, index) => ({ index, opens: Date.parse(round.opensAt), closes: Date.parse(round.closesAt) })).sort((a, b) => a.opens - b.opens);
  byTime.forEach((round, i) => {
    const earlier = byTime.slice(0, i).find((other) => other.closes > round.opens);
    if (!earlier || (isStarted(round.index) && isStarted(earlier.index))) return;
    const blamed = isStarted(round.index) ? earlier : round;
    const other = blamed === round ? earlier : round;
    issue(['rounds', blamed.index, 'opensAt'], `Overlaps round ${rounds[other.index].number}`);
  });

  const codes = new Set<string>();
  const artists = new Set<string>();
  lineup.forEach((entry, index) => {
    if (codes.has(entry.voteCode)) issue(['lineup', index, 'voteCode'], `Vote code ${entry.voteCode} is already used in this lineup`);
    codes.add(entry.voteCode);
    if (entry.voteCode === details.keyword) issue(['lineup', index, 'voteCode'], 'A vote code cannot be the event’s keyword');
    const artist = entry.artist.documentId ?? `new:${entry.artist.name?.trim().toLowerCase()}`;
    if (artists.has(artist)) issue(['lineup', index, 'artist'], 'This artist is already in the lineup');
    artists.add(artist);
  });
  return issues;
}
