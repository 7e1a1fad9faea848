import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Box, DesignSystemProvider, Flex, Link, Typography } from '@strapi/design-system';

const PROFILE = /\/admin\/me\/?$/;

/**
 * A way from the admin's profile page (`/admin/me`, core's, with no injection zone) to two-factor
 * enrolment: while that page is shown, a short section at the end of its main area links to
 * *Settings → Two-factor sign-in*. It is added beside the page's own markup, never inside it, and
 * removed when the page goes, so a change of core's profile page can only lose the link.
 */
export function installProfileLink() {
  if (typeof window === 'undefined' || typeof MutationObserver === 'undefined') return;
  let shown: { host: HTMLElement; root: Root } | null = null;
  const remove = () => {
    const current = shown;
    shown = null;
    // After React's own commit: unmounting a root while another renders is refused.
    if (current) setTimeout(() => (current.root.unmount(), current.host.remove()));
  };
  const update = () => {
    const main = PROFILE.test(window.location.pathname) ? document.querySelector('main') : null;
    if (shown && main?.contains(shown.host)) return;
    remove();
    if (!main) return;
    const host = document.createElement('div');
    main.appendChild(host);
    const root = createRoot(host);
    root.render(
      <DesignSystemProvider locale="en">
        <ProfileLink settingsUrl={window.location.pathname.replace(PROFILE, '/admin/settings/two-factor')} />
      </DesignSystemProvider>
    );
    shown = { host, root };
  };
  new MutationObserver(update).observe(document.body, { childList: true, subtree: true });
}

function ProfileLink({ settingsUrl }: { settingsUrl: string }) {
  return (
    <Box paddingLeft={10} paddingRight={10} paddingBottom={10}>
      <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
        <Flex direction="column" alignItems="flex-start" gap={2}>
          <Typography variant="delta" tag="h2">
            Two-factor sign-in
          </Typography>
          <Typography>A code from an authenticator app after your password keeps your account yours even if the password leaks.</Typography>
          <Link href={settingsUrl}>Set up or manage two-factor sign-in</Link>
        </Flex>
      </Box>
    </Box>
  );
}
