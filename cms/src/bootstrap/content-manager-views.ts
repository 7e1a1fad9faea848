/**
 * How Ovation's types read in the Content Manager: field labels and hints, the list's columns, and
 * what names an entry where another type links to it. Applied at every start by content-manager.ts.
 */

export type FieldView = {
  label: string;
  /** Shown under the field in the edit view. */
  hint?: string;
  /** For a relation: the linked entry's field that names it. */
  mainField?: string;
  /** False: shown in the edit view but not changed there (something else owns the value). */
  editable?: boolean;
};

export type TypeView = {
  /** The field that names an entry (relations to it, the home page's last edited entries). */
  mainField: string;
  /** The list's columns, in order. */
  columns: string[];
  sort?: { by: string; order: 'ASC' | 'DESC' };
  /** The edit view's rows, each field with its width out of 12; Strapi's schema order otherwise. */
  form?: { name: string; size: number }[][];
  fields: Record<string, FieldView>;
};

const TIME_HINT =
  'Entered in your browser’s time zone and stored as an instant; the site shows it in the event’s Time zone.';

const slug = (from: string): FieldView => ({
  label: 'Slug',
  hint: `The web address part, made from the ${from}. Changing it breaks links already shared.`,
});

export const CONTENT_MANAGER_VIEWS: Record<string, TypeView> = {
  'api::event.event': {
    mainField: 'title',
    columns: ['title', 'phase', 'keyword', 'starts_at', 'city'],
    sort: { by: 'starts_at', order: 'DESC' },
    fields: {
      title: { label: 'Title' },
      slug: slug('title'),
      description: { label: 'Description' },
      venue: { label: 'Venue' },
      city: { label: 'City' },
      starts_at: { label: 'Starts at', hint: TIME_HINT },
      ends_at: { label: 'Ends at', hint: TIME_HINT },
      timezone: { label: 'Time zone', hint: 'An IANA name such as Europe/Madrid or America/New_York: where the event takes place.' },
      phase: { label: 'Phase', hint: 'Closed or archived: a fan who texts the keyword is told the event has ended.' },
      keyword: { label: 'Keyword', hint: 'What fans text to join, 2 to 20 letters or digits; unique across events.' },
      capacity: { label: 'Capacity', hint: 'How many fans may join; empty for no limit.' },
      results_visibility: {
        label: 'Results visibility',
        hint: 'Public: the leaderboard is shown live. After close: once the phase is Closed or Archived. Private: never.',
      },
      privacy_mode: { label: 'Privacy mode' },
      hero_image: { label: 'Hero image', hint: 'Shown at the top of the event page; give it a description (alternative text) in the media library.' },
      accent_color: {
        label: 'Accent colour',
        hint: 'As #rrggbb. The site darkens or lightens it where it would be hard to read (WCAG AA contrast).',
      },
      rounds: { label: 'Rounds', mainField: 'title' },
      lineup: { label: 'Lineup', mainField: 'vote_code' },
      posts: { label: 'Posts', mainField: 'title' },
    },
  },

  'api::round.round': {
    mainField: 'title',
    columns: ['event', 'number', 'title', 'state', 'opens_at', 'closes_at'],
    fields: {
      event: { label: 'Event', mainField: 'title' },
      number: { label: 'Number', hint: 'Unique within the event; fans see “Round 1”, “Round 2”…' },
      title: { label: 'Title' },
      title_es: { label: 'Title in Spanish', hint: 'Shown on Spanish pages and to Spanish partners. Leave empty to show the English title there.' },
      // Opening a round texts every fan their voting link and closes the round before it: that is done
      // from Voting (the event's page) or by the schedule below, never by editing the field.
      state: {
        label: 'State',
        hint: 'Pending, open or closed. Open and close rounds from Voting › the event, or let Opens at and Closes at do it.',
        editable: false,
      },
      opens_at: { label: 'Opens at', hint: TIME_HINT },
      closes_at: { label: 'Closes at', hint: TIME_HINT },
    },
  },

  'api::artist.artist': {
    mainField: 'name',
    columns: ['name', 'genre', 'claim_status'],
    sort: { by: 'name', order: 'ASC' },
    fields: {
      name: { label: 'Name' },
      slug: slug('name'),
      bio: { label: 'Bio' },
      genre: { label: 'Genre' },
      links: { label: 'Links' },
      avatar: { label: 'Avatar' },
      claim_status: { label: 'Claim status', hint: 'Whether the artist has claimed this profile: invite them from the Artist account panel.', editable: false },
    },
  },

  'api::lineup-entry.lineup-entry': {
    mainField: 'vote_code',
    columns: ['event', 'artist', 'vote_code', 'order'],
    fields: {
      event: { label: 'Event', mainField: 'title' },
      artist: { label: 'Artist', mainField: 'name' },
      vote_code: { label: 'Vote code', hint: 'What fans text to vote for this artist; unique within the event.' },
      order: { label: 'Order', hint: 'Position in the lineup, lowest first.' },
    },
  },

  'api::post.post': {
    mainField: 'title',
    columns: ['title', 'event', 'updatedAt'],
    sort: { by: 'updatedAt', order: 'DESC' },
    fields: {
      title: { label: 'Title' },
      slug: slug('title'),
      excerpt: { label: 'Excerpt', hint: 'A line or two for lists and link previews.' },
      body: { label: 'Body' },
      cover: { label: 'Cover image' },
      event: { label: 'Event', mainField: 'title' },
      artists: { label: 'Artists', mainField: 'name' },
    },
  },

  'api::fan.fan': {
    mainField: 'phone_masked',
    columns: ['phone_masked', 'language', 'first_seen'],
    sort: { by: 'first_seen', order: 'DESC' },
    fields: {
      phone_masked: { label: 'Phone', hint: 'Masked: the number itself is stored encrypted and never shown.' },
      language: { label: 'Language', hint: 'The language of the texts the fan receives.' },
      tags: { label: 'Tags' },
      first_seen: { label: 'First seen' },
    },
  },

  'api::consent-record.consent-record': {
    mainField: 'purpose',
    columns: ['occurred_at', 'channel', 'purpose', 'action', 'source'],
    sort: { by: 'occurred_at', order: 'DESC' },
    fields: {
      channel: { label: 'Channel' },
      purpose: { label: 'Purpose' },
      action: { label: 'Action', hint: 'Opt-in or opt-out; the newest record for a person and channel decides.' },
      source: { label: 'Source', hint: 'Where it was given or withdrawn, such as sms-keyword.' },
      evidence: { label: 'Evidence' },
      ip: { label: 'IP address' },
      occurred_at: { label: 'Occurred at' },
    },
  },

  'api::message.message': {
    mainField: 'recipient_masked',
    columns: ['state', 'channel', 'recipient_masked', 'purpose', 'sent_at', 'error'],
    sort: { by: 'createdAt', order: 'DESC' },
    // Where the message is comes first; what it says and how it was sent after.
    form: [
      [{ name: 'state', size: 6 }, { name: 'channel', size: 6 }],
      [{ name: 'recipient_masked', size: 6 }, { name: 'purpose', size: 6 }],
      [{ name: 'sent_at', size: 6 }, { name: 'attempts', size: 6 }],
      [{ name: 'error', size: 12 }],
      [{ name: 'subject', size: 6 }, { name: 'topic', size: 6 }],
      [{ name: 'body', size: 12 }],
      [{ name: 'provider', size: 6 }, { name: 'provider_message_id', size: 6 }],
      [{ name: 'sending_since', size: 6 }, { name: 'idempotency_key', size: 6 }],
    ],
    fields: {
      state: {
        label: 'Status',
        hint: 'Queued → sending → sent; failed, suppressed (the recipient opted out) or unknown (a person decides, on the Jobs page).',
      },
      channel: { label: 'Channel' },
      provider: { label: 'Provider', hint: 'Sandbox: stored here only, nothing left the machine.' },
      recipient_masked: { label: 'Recipient', hint: 'Masked: the address itself is stored encrypted.' },
      purpose: { label: 'Purpose' },
      topic: { label: 'Topic', hint: 'Messages sent together, such as one round’s notifications.' },
      subject: { label: 'Subject' },
      body: { label: 'Body' },
      attempts: { label: 'Attempts' },
      sent_at: { label: 'Sent at' },
      sending_since: { label: 'Sending since' },
      provider_message_id: { label: 'Provider message id' },
      error: { label: 'Error' },
      idempotency_key: { label: 'Idempotency key', hint: 'The same key is never sent twice.' },
    },
  },
};
