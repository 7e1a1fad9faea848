import type { ArtistChoice, Bilingual, EventWizardInput, PrivacyMode, WizardStep } from '../../../../shared/contracts';
import type { ResultsVisibility } from '../../../../shared/contracts';
import { fromZonedInput, toZonedInput } from '../../utils/zoned-time';

/** The wizard's form: what the inputs hold (times as the event's wall clock, numbers as typed). */
export interface WizardForm {
  details: {
    title: Bilingual;
    description: Bilingual;
    venue: string;
    city: string;
    timezone: string;
    startsAt: string;
    endsAt: string;
    keyword: string;
    capacity: string;
    resultsVisibility: ResultsVisibility;
    privacyMode: PrivacyMode;
  };
  rounds: { key: string; documentId?: string; number: string; title: Bilingual; opensAt: string; closesAt: string }[];
  lineup: { key: string; documentId?: string; artistId: string; newName: string; isNew: boolean; voteCode: string }[];
}

export const STEPS: (WizardStep | 'review')[] = ['details', 'rounds', 'lineup', 'review'];

/** A field's problems, keyed by the server's path joined with dots: "rounds.1.closesAt". */
export type FieldErrors = Record<string, string>;

let keys = 0;
export const newKey = () => `row-${(keys += 1)}`;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const emptyForm = (): WizardForm => ({
  details: {
    title: { en: '', es: '' },
    description: { en: '', es: '' },
    venue: '',
    city: '',
    timezone: browserZone(),
    startsAt: '',
    endsAt: '',
    keyword: '',
    capacity: '',
    resultsVisibility: 'public',
    privacyMode: 'standard',
  },
  rounds: [{ key: newKey(), number: '1', title: { en: '', es: '' }, opensAt: '', closesAt: '' }],
  lineup: [],
});

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The submission the server checks and saves. */
export function toInput(form: WizardForm, publish: boolean): EventWizardInput {
  const zone = form.details.timezone;
  return {
    details: {
      ...form.details,
      startsAt: fromZonedInput(form.details.startsAt, zone),
      endsAt: fromZonedInput(form.details.endsAt, zone),
      capacity: form.details.capacity.trim() === '' ? null : number(form.details.capacity),
    },
    rounds: form.rounds.map((round) => ({
      ...(round.documentId ? { documentId: round.documentId } : {}),
      number: number(round.number),
      title: round.title,
      opensAt: fromZonedInput(round.opensAt, zone),
      closesAt: fromZonedInput(round.closesAt, zone),
    })),
    lineup: form.lineup.map((entry) => ({
      ...(entry.documentId ? { documentId: entry.documentId } : {}),
      artist: entry.isNew ? { name: entry.newName } : { documentId: entry.artistId },
      voteCode: entry.voteCode,
    })),
    publish,
  };
}

/** An existing event, as the form shows it. */
export function fromInput(input: EventWizardInput): WizardForm {
  const zone = input.details.timezone;
  return {
    details: {
      ...input.details,
      startsAt: toZonedInput(input.details.startsAt, zone),
      endsAt: toZonedInput(input.details.endsAt, zone),
      capacity: input.details.capacity === null ? '' : String(input.details.capacity),
    },
    rounds: input.rounds.map((round) => ({
      key: newKey(),
      documentId: round.documentId,
      number: String(round.number),
      title: round.title,
      opensAt: toZonedInput(round.opensAt, zone),
      closesAt: toZonedInput(round.closesAt, zone),
    })),
    lineup: input.lineup.map((entry) => ({
      key: newKey(),
      documentId: entry.documentId,
      artistId: entry.artist.documentId ?? '',
      newName: '',
      isNew: false,
      voteCode: entry.voteCode,
    })),
  };
}

/** The lowest whole number no row of the lineup uses yet: what a new row's vote code is suggested as. */
export function suggestCode(lineup: WizardForm['lineup']) {
  const used = new Set(lineup.map((entry) => entry.voteCode.trim().toUpperCase()));
  let code = 1;
  while (used.has(String(code))) code += 1;
  return String(code);
}

/** Codes typed twice in the lineup, found while typing (the server checks them again). */
export function duplicateCodes(lineup: WizardForm['lineup']) {
  const seen = new Set<string>();
  const duplicates = new Set<number>();
  lineup.forEach((entry, index) => {
    const code = entry.voteCode.trim().toUpperCase();
    if (code && seen.has(code)) duplicates.add(index);
    seen.add(code);
  });
  return duplicates;
}

export const artistName = (artists: ArtistChoice[], documentId: string) => artists.find((artist) => artist.documentId === documentId)?.name ?? '';
