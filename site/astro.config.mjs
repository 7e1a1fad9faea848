// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';

// Server-rendered: pages fetch from the CMS on each request. The CMS URL is read
// from process.env.CMS_URL at request time (see src/lib/cms.ts), not at build time.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  // React islands come later; the integration is wired in now so adding one is trivial.
  integrations: [react()],
  server: { port: 4321 },
  build: {
    // Always emit CSS as files (no inline <style>), which keeps a strict CSP possible.
    inlineStylesheets: 'never',
  },
});
