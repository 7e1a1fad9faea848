/**
 * An artist as fans see it on a ballot or a leaderboard. An entry whose artist is not published
 * carries `artist: null`: fans see the entry by its vote code ("Act 3"), without a name, a link or
 * a picture, and may still vote for it (a text with the code counts the same).
 */
export interface Avatar {
  /** As the upload provider serves it: a path on the cms (local uploads) or a full URL (S3). */
  url: string;
  alternativeText: string | null;
}

export interface ArtistCard {
  name: string;
  slug: string;
  avatar: Avatar | null;
}
