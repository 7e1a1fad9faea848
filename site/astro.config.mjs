// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import { build } from 'esbuild';

/**
 * The built server's lanes (src/lanes/: the vote endpoint), bundled beside Astro's build as
 * dist/lanes.mjs for server.mjs to answer from node:http directly.
 */
const lanes = {
  name: 'ovation-lanes',
  hooks: {
    'astro:build:done': async () => {
      await build({
        entryPoints: [fileURLToPath(new URL('./src/lanes/votes.ts', import.meta.url))],
        outfile: fileURLToPath(new URL('./dist/lanes.mjs', import.meta.url)),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'warning',
      });
    },
  },
};

// Server-rendered: pages fetch from the CMS on each request. The CMS URL is read
// from process.env.CMS_URL at request time (see src/lib/cms.ts), not at build time.
export default defineConfig({
  output: 'server',
  // The adapter's middleware mode: server.mjs serves the client files and hands Astro the rest.
  adapter: node({ mode: 'middleware' }),
  // React renders the two islands that need the browser (vote form, live leaderboard) and the
  // standings list they share with recaps (server-rendered there, no JavaScript shipped).
  integrations: [react(), lanes],
  // Uploads are resized by Astro's image pipeline (sharp, at /_image). Where uploads live (the CMS, an
  // S3 bucket, a CDN) is only known at run time, so any http(s) source passes here and
  // src/middleware.ts refuses the ones that are not an upload origin before the pipeline fetches them.
  image: { remotePatterns: [{ protocol: 'https' }, { protocol: 'http' }] },
  server: { port: 4321 },
  build: {
    // Always emit CSS as files (no inline <style>), which keeps a strict CSP possible.
    inlineStylesheets: 'never',
  },
  // Cross-site writes are refused in src/middleware.ts instead: Astro's check compares the Origin with
  // a host it only trusts when security.allowedDomains is fixed at build time, so behind any real
  // hostname it would refuse the vote form. The middleware compares with the Host and SITE_URL.
  security: { checkOrigin: false },
  experimental: {
    // Astro hashes the small inline scripts and styles it emits for islands and sends them in the
    // page's Content-Security-Policy; src/middleware.ts completes that policy.
    csp: true,
  },
});
