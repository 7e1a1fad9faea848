/**
 * Strapi 5.54 has no setting for its guided tour (shown to the first super admin of a development
 * build) or for its "Introducing the new Media Library" banner (shown to everyone until closed).
 * Both remember being dismissed in the browser's localStorage, under these keys of @strapi/admin's
 * (components/GuidedTour/Context, components/MediaLibraryBanner), so the admin marks them dismissed
 * before it renders. cms/__tests__/admin-views.test.ts notices when a Strapi release renames them.
 */
const GUIDED_TOUR_KEY = 'STRAPI_GUIDED_TOUR';

/** The banner's key is scoped by the project's uuid (package.json `strapi.uuid`, served by /admin/init). */
const mediaLibraryBannerKey = (legacyMediaLibrary: boolean, projectUuid: string) =>
  `STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${legacyMediaLibrary}:${projectUuid}`;

function stored(key: string): Record<string, unknown> {
  try {
    const value = JSON.parse(window.localStorage.getItem(key) ?? '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

export function dismissStrapiAnnouncements(projectUuid: string) {
  // Strapi fills in the tours' own state around `enabled` (its migrateTours).
  window.localStorage.setItem(GUIDED_TOUR_KEY, JSON.stringify({ ...stored(GUIDED_TOUR_KEY), enabled: false }));
  // One banner text for each setting of config/features' `useLegacyMediaLibrary`: neither is shown.
  for (const legacyMediaLibrary of [false, true]) {
    window.localStorage.setItem(mediaLibraryBannerKey(legacyMediaLibrary, projectUuid), 'true');
  }
}
