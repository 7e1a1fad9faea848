import type { StrapiApp } from '@strapi/strapi/admin';
import cms from '../../package.json';
import { dismissStrapiAnnouncements } from './announcements';
import ovationMark from './extensions/ovation-mark.svg';

/** Ovation's admin: its own mark on the login page and in the menu, and no announcements from Strapi. */
export default {
  config: {
    auth: { logo: ovationMark },
    menu: { logo: ovationMark },
    // No "new Strapi version" notice (and no request to GitHub on every page load): upgrades arrive
    // through the repository, not from whoever has the admin open.
    notifications: { releases: false },
  },
  bootstrap(_app: StrapiApp) {
    dismissStrapiAnnouncements(cms.strapi.uuid);
  },
};
