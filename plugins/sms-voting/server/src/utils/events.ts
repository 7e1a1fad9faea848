/** Emitted on Strapi's event hub after a round opened or closed (committed): `{ event, round }` document ids. */
export const ROUND_CHANGED = 'sms-voting.round.changed';
