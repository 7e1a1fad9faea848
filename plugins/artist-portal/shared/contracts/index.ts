/**
 * The artist portal's API shapes: the server's controllers satisfy them, the admin pages and the
 * site import them. Nothing here ever names a fan.
 */
export type Language = 'en' | 'es';
export type ClaimStatus = 'unclaimed' | 'invited' | 'claimed';
export type InvitationChannel = 'email' | 'sms';

export const LINK_PLATFORMS = ['website', 'spotify', 'apple_music', 'youtube', 'instagram', 'tiktok', 'bandcamp', 'other'] as const;
export type LinkPlatform = (typeof LINK_PLATFORMS)[number];
export interface ArtistLink {
  platform: LinkPlatform;
  url: string;
}

/** `POST /artist-portal/artists/:documentId/invitations` (admin) and the artist panel's state. */
export interface InvitationSummary {
  artist: { documentId: string; name: string; claimStatus: ClaimStatus };
  /** The live invitation (not used, revoked or expired), if any. */
  invitation: { channel: InvitationChannel; recipient: string; expiresAt: string; createdAt: string } | null;
}

/** `GET /api/artist-portal/claims/:token`: whom a link would make the account for. */
export interface ClaimPreview {
  artist: { name: string; slug: string };
  expiresAt: string;
}

/** `POST /api/artist-portal/claims/:token`. */
export interface ClaimResult {
  artist: { name: string; slug: string };
  user: { username: string; email: string };
}

/** The fields an artist may propose, as they stand (published) or as proposed (pending). */
export interface ProfileFields {
  bio: { en: string | null; es: string | null };
  genre: string | null;
  links: ArtistLink[];
  avatar: { url: string } | null;
}

/** `GET /api/artist-portal/me`. */
export interface MyProfile {
  artist: { documentId: string; name: string; slug: string };
  published: ProfileFields;
  /** The change waiting for an editor, if any. */
  pending: (ProfileFields & { id: number; updatedAt: string }) | null;
}

/** One pending change, as the admin lists it. */
export interface PendingChange extends ProfileFields {
  id: number;
  artist: { documentId: string; name: string; slug: string };
  current: ProfileFields;
  updatedAt: string;
}

/** `GET /api/artist-portal/me/dashboard`: counts only, never a fan. */
export interface DashboardEvent {
  event: { slug: string; title: string; startsAt: string | null; phase: string };
  code: string;
  /** Fans who joined the event (a count). */
  fansJoined: number;
  rounds: { number: number; title: string | null; state: string; votes: number; totalVotes: number; share: number; rank: number | null; entries: number }[];
  /** This artist's votes per minute across the event (UTC minute starts), oldest first. */
  votesOverTime: { minute: string; votes: number }[];
}
export interface Dashboard {
  artist: { name: string; slug: string };
  events: DashboardEvent[];
}
